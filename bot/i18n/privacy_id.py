"""Indonesian strings of a reader's data: the privacy policy, /datasaya and /hapusdata."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "privacy.policy": (
        "🔒 <b>Kebijakan privasi</b> (UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi)\n\n"
        "<b>Yang disimpan</b> untuk setiap obrolan (dan setiap topik forum): nomor obrolan "
        "Telegram, jenisnya, nama dan nama pengguna grup atau kanal, bahasa, zona waktu, jam "
        "tenang, jam Berita Pilihan, apa yang diikuti (Berita Pilihan, topik, wilayah, kata "
        "kunci), riwayat pengiriman (pesan apa yang dikirim dan kapan), dan selera untuk Berita "
        "Pilihan pribadi: bobot per topik, wilayah, media dan kata yang dipelajari dari tombol "
        "👍/👎, berita yang dibaca di Mini App dan yang dibagikan lewat mode inline (memudar "
        "setengahnya tiap 14 hari; atur ulang dengan tombol ↺). Untuk kanal: siapa "
        "yang menghubungkannya.\n"
        "<b>Untuk apa</b>: hanya untuk mengirim berita yang Anda minta, sekali saja, pada "
        "waktu yang Anda pilih. Tidak ada iklan, pelacak, atau penjualan data.\n"
        "<b>Berapa lama</b>: riwayat pengiriman dan Berita Pilihan dihapus otomatis setelah "
        "{days} hari (0 = tidak dihapus otomatis); pengaturan dan langganan sampai Anda "
        "menghapusnya.\n"
        "<b>Siapa yang melihat</b>: admin bot hanya melihat jumlah (berapa obrolan, berapa "
        "pengikut per topik), tidak pernah apa yang diikuti satu obrolan.\n\n"
        "<b>Hak Anda</b>\n"
        "/datasaya — semua yang disimpan tentang obrolan ini, sebagai berkas JSON\n"
        "/hapusdata — hapus langganan, pengaturan dan riwayat pengiriman obrolan ini\n"
        "/stop — berhenti mengikuti semuanya\n"
        "Di grup dan kanal, hanya admin yang boleh mengekspor atau menghapus data obrolan.\n\n"
        "<b>Yang tetap disimpan setelah /hapusdata</b>: nomor obrolan Telegram dengan "
        "pengaturan bawaan (agar bot masih bisa menjawab Anda), dan kunci pesan yang sudah "
        "diterima Telegram dari siaran yang masih berjalan dan dari Berita Pilihan 24 jam "
        "terakhir (jenis pesan dan nomornya saja, tanpa isi), agar pesan yang sama tidak "
        "pernah terkirim dua kali. Kunci itu ikut terhapus otomatis setelah {days} hari."
    ),
    "privacy.export.caption": (
        "📄 Semua yang disimpan bot tentang obrolan ini. Hapus dengan /hapusdata."
    ),
    "privacy.erase.ask": (
        "🗑 <b>Hapus data obrolan ini?</b>\n"
        "Dihapus: semua langganan (Berita Pilihan, topik, wilayah, kata kunci), pengaturan "
        "(bahasa, zona waktu, jam tenang, jam Pilihan), nama obrolan, riwayat pengiriman, dan "
        "selera yang dipelajari dari 👍/👎, bacaan, dan berita yang Anda bagikan.\n"
        "Tetap disimpan: nomor obrolan Telegram dan kunci pesan yang baru terkirim, agar "
        "tidak ada pesan terkirim dua kali (lihat /privasi).\n"
        "Setelah ini bot tidak mengirim berita lagi sampai Anda mengikuti sesuatu."
    ),
    "privacy.erase.yes": "🗑 Ya, hapus",
    "privacy.erase.no": "Batal",
    "privacy.erase.kept": "Dibatalkan. Tidak ada yang dihapus.",
    "privacy.erase.running": "Penghapusan sedang berjalan. Tunggu sebentar.",
    "privacy.erase.already": (
        "Data obrolan ini sudah dihapus; tombol ini tidak berlaku lagi. Kirim /hapusdata "
        "untuk menghapus yang tersimpan sejak itu."
    ),
    "privacy.erase.done": (
        "✅ Data obrolan ini sudah dihapus: {follows} langganan, {deliveries} catatan "
        "pengiriman, {digest_items} berita Pilihan, {learned} catatan selera. Disimpan hanya "
        "kunci {kept} pesan agar tidak terkirim dua kali (lihat /privasi)."
    ),
    "example.datasaya": "/datasaya",
    "example.hapusdata": "/hapusdata",
    "cmd.privasi": "Privasi dan data Anda",
}
