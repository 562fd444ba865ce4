"""Indonesian strings (the reference catalogue); HTML, with `{name}` placeholders."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    # Start, follow prompt, sharing
    "start.welcome": (
        "👋 Halo! Saya mengumpulkan berita dari media besar Indonesia, menggabungkan berita "
        "yang sama dari beberapa media, lalu mengirimkannya ke sini.\n\n"
        "• /latest — berita terbaru\n"
        "• /topic — pilih topik\n"
        "• /pilihan — Berita Pilihan hari ini\n"
        "• /settings — pengaturan\n"
        "• /help — bantuan"
    ),
    "follow.prompt": "Dapatkan Berita Pilihan di Telegram Anda",
    "follow.link": '👉 <a href="{link}">{prompt}</a>',
    "button.follow": "Ikuti",
    "button.share": "📣 Bagikan ke teman",
    "share.text": "Berita Pilihan dari media Indonesia, langsung di Telegram",
    "button.share_topic": "📣 Bagikan {topic}",
    "share.topic_text": "Berita {topic} dari media Indonesia, langsung di Telegram",
    "group.welcome": (
        "👋 Terima kasih sudah menambahkan saya. Admin grup dapat mengirim /subscribe untuk "
        "Berita Pilihan harian atau /topic untuk memilih topik."
    ),
    # Subscriptions
    "followed.pilihan": "✅ Anda mengikuti Berita Pilihan, dikirim setiap hari pukul {times}.",
    "already.pilihan": "Anda sudah mengikuti Berita Pilihan (pukul {times}).",
    "followed.topic": "✅ Berita <b>{topic}</b> akan dikirim begitu terbit.",
    "already.topic": "Anda sudah mengikuti <b>{topic}</b>.",
    "followed.keyword": "✅ Berita yang memuat «{keyword}» akan dikirim begitu terbit.",
    "already.keyword": "Anda sudah mengikuti kata kunci «{keyword}».",
    "unfollowed.pilihan": "Anda berhenti mengikuti Berita Pilihan.",
    "unfollowed.topic": "Anda berhenti mengikuti <b>{topic}</b>.",
    "unfollowed.keyword": "Anda berhenti mengikuti kata kunci «{keyword}».",
    "not_following": "Anda tidak sedang mengikuti {what}.",
    "stopped": "🔕 Semua langganan dihentikan. Kirim /subscribe untuk mengikuti lagi.",
    "stop.nothing": "Anda belum mengikuti apa pun. Kirim /subscribe untuk mulai.",
    "subs.none": "belum ada",
    "what.pilihan": "Berita Pilihan",
    # Problems, always with a way forward
    "unknown.topic": "Topik «{name}» tidak ada. Pilihan topik: {topics}.",
    "unknown.command": "Perintah {command} tidak dikenal. Kirim /help untuk daftar perintah.",
    "error.too_many": "Terlalu banyak argumen. Contoh: {example}",
    "example.start": "/start",
    "example.stop": "/stop",
    "example.pilihan": "/pilihan",
    "example.subscribe": "/subscribe olahraga",
    "example.unsubscribe": "/unsubscribe olahraga",
    "example.latest": "/latest 5 olahraga",
    "error.range": "Jumlah berita harus antara 1 dan {max}. Contoh: /latest 5",
    "error.keyword": (
        'Kata kunci harus 2–{max} karakter di dalam tanda kutip, misalnya /subscribe "Wang Yi".'
    ),
    "error.admin_only": "Hanya admin grup ini yang dapat mengubah langganan dan pengaturannya.",
    "error.admin_only_channel": (
        "Hanya admin kanal ini yang dapat mengubah langganan dan pengaturannya."
    ),
    "error.busy": "Maaf, layanan sedang sibuk. Coba lagi dalam beberapa saat.",
    "error.generic": "Maaf, terjadi kesalahan. Silakan coba lagi sebentar lagi.",
    "hint.text": (
        "Saya membaca perintah, misalnya /latest atau /topic olahraga. Kirim /help untuk semuanya."
    ),
    "error.expired": "Tombol ini sudah kedaluwarsa. Kirim perintahnya sekali lagi.",
    # Search
    "search.usage": (
        "🔎 Kirim /cari dengan kata yang dicari, misalnya <code>/cari banjir</code>, "
        '<code>/cari "wang yi"</code> (kata berurutan) atau <code>/cari banjir -jakarta</code> '
        "(tanpa Jakarta). Di obrolan pribadi, cukup ketik katanya."
    ),
    "search.heading": "🔎 <b>Hasil pencarian «{query}»</b>",
    "search.none": "Tidak ada berita yang cocok dengan «{query}».",
    "search.none_excluded": "Coba tanpa kata yang dikecualikan (-kata).",
    "search.end": "Tidak ada hasil lagi.",
    "search.try_topic": "Coba /latest {topic} untuk berita terbaru topik itu.",
    "search.try_topics": (
        "Coba kata lain, atau lihat berita per topik: /topic (misalnya /latest ekonomi)."
    ),
    "search.empty": (
        "Tidak ada kata yang bisa dicari di situ. Kirim kata atau nama, misalnya "
        "<code>/cari banjir</code>."
    ),
    "search.only_excluded": (
        "Sebutkan juga kata yang dicari, bukan hanya yang dikecualikan: "
        "<code>/cari banjir -jakarta</code>."
    ),
    "search.too_long": "Pencarian terlalu panjang: paling banyak {max_chars} karakter.",
    "search.too_many": "Terlalu banyak kata: paling banyak {max_terms} kata atau frasa.",
    "button.previous": "‹ Sebelumnya",
    "button.next": "Berikutnya ›",
    "button.follow_keyword": "🔔 Ikuti kata ini",
    # Reading
    "latest.heading": "<b>Berita terbaru</b>",
    "latest.heading_topic": "<b>Berita terbaru · {topic}</b>",
    "latest.empty": "Belum ada berita. Coba lagi sebentar lagi.",
    "latest.end": "Tidak ada berita lain.",
    "button.more": "Lainnya ›",
    "button.checked": "✅ {label}",
    "topic.heading": (
        "Pilih topik untuk berita langsung. Tekan sekali untuk mengikuti, sekali lagi untuk "
        "berhenti."
    ),
    "button.follow_topic": "🔔 Ikuti {topic}",
    "button.unfollow_topic": "🔕 Berhenti mengikuti {topic}",
    "pilihan.heading": "<b>Berita Pilihan</b> · {date}",
    "pilihan.empty": "Belum ada Berita Pilihan hari ini. Coba lagi nanti.",
    "story.read_more": "Baca selengkapnya",
    "story.more_outlets": "+{count} media",
    "months": "Jan,Feb,Mar,Apr,Mei,Jun,Jul,Agu,Sep,Okt,Nov,Des",
    # Settings
    "settings.heading": (
        "<b>Pengaturan</b>\n"
        "Berita langsung: {push}\n"
        "Berita Pilihan: {times}\n"
        "Jam tenang: {quiet}\n"
        "Bahasa: {language}\n"
        "Zona waktu: {tz}"
    ),
    "state.on": "aktif",
    "state.off": "mati",
    "quiet.none": "tidak ada",
    "button.push": "🔔 Berita langsung: {state}",
    "button.times": "🗞 Pilihan: {times}",
    "button.quiet": "🌙 Jam tenang: {quiet}",
    "button.language": "🌐 English",
    "settings.saved": "Tersimpan.",
    # Typed settings; {command} is "/settings" or "/channel @name"
    "settings.usage": (
        "{command} pilihan 07:00,19:00 · {command} tenang 22:00-06:00 · {command} zona WITA · "
        "{command} bahasa en"
    ),
    "settings.unknown": "Pengaturan «{word}» tidak dikenal. Contoh: {usage}",
    "settings.missing": "Tulis juga nilainya. Contoh: {usage}",
    "settings.too_many": "Terlalu banyak argumen untuk «{word}». Contoh: {usage}",
    "settings.bad_time": (
        "«{value}» bukan jam seperti 07:00. Contoh: {command} pilihan 07:00,19:00"
    ),
    "settings.too_many_times": (
        "Paling banyak {max} jam Berita Pilihan. Contoh: {command} pilihan 07:00,19:00"
    ),
    "settings.bad_quiet": (
        "«{value}» bukan jam tenang seperti 22:00-06:00. Contoh: {command} tenang 22:00-06:00 "
        "atau {command} tenang off"
    ),
    "settings.bad_zone": (
        "Zona waktu «{value}» tidak dikenal. Pilih {zones}, misalnya {command} zona WITA"
    ),
    "settings.bad_language": (
        "Bahasa «{value}» tidak tersedia. Pilih id (Indonesia) atau en (English), misalnya "
        "{command} bahasa en"
    ),
    "language.id": "Indonesia",
    "language.en": "Inggris",
    # Channels
    "channel.usage": (
        "Untuk kanal: jadikan saya admin kanal Anda, lalu kirim di sini\n"
        "/channel @namakanal — ikuti Berita Pilihan di kanal\n"
        "/channel @namakanal &lt;topik&gt; — ikuti/berhenti topik\n"
        "/channel @namakanal pilihan 07:00,19:00 — jam Berita Pilihan\n"
        "/channel @namakanal zona WITA — zona waktu (WIB, WITA, WIT)\n"
        "/channel @namakanal bahasa en — bahasa kanal (id, en)\n"
        "/channel @namakanal pengaturan — lihat pengaturan kanal\n"
        "/channel @namakanal stop — hentikan semua"
    ),
    "channel.settings": "📢 Kanal {name}\n\n{settings}",
    "channel.connected": "📢 Kanal {name} terhubung. Langganan: {items}.",
    "channel.stopped": "🔕 Semua langganan kanal {name} dihentikan.",
    "channel.not_found": "Saya tidak menemukan kanal {name}. Pastikan saya sudah admin di sana.",
    "channel.not_admin": "Anda dan saya harus sama-sama admin kanal {name}.",
    "channel.added": (
        "📢 Saya sekarang admin kanal {name}. Kirim /channel {handle} di sini untuk memilih "
        "beritanya."
    ),
    # Help and the command menu
    "help.text": (
        "<b>Perintah</b>\n"
        "/start — mulai dan ikuti Berita Pilihan\n"
        "/subscribe — ikuti Berita Pilihan\n"
        "/subscribe &lt;topik&gt; — berita langsung untuk satu topik\n"
        '/subscribe "kata kunci" — berita langsung yang memuat kata kunci '
        "(<code>/subscribe banjir -jakarta</code> tanpa Jakarta)\n"
        "/unsubscribe [topik] — berhenti mengikuti\n"
        "/stop — hentikan semua langganan\n"
        "/latest [jumlah] [topik] — berita terbaru (maks. 20)\n"
        "/cari &lt;kata&gt; — cari berita (di obrolan pribadi, cukup ketik katanya)\n"
        "/topic — pilih topik; /topic &lt;nama&gt; — berita satu topik\n"
        "/pilihan — Berita Pilihan hari ini\n"
        "/settings — berita langsung, jam Pilihan, jam tenang, bahasa, zona waktu\n"
        "/channel — kirim berita ke kanal Anda\n"
        "/privasi — kebijakan privasi; /datasaya — data Anda; /hapusdata — hapus data Anda\n"
        "/help — bantuan ini\n\n"
        "Di grup, hanya admin yang mengubah langganan. Topik: {topics}."
    ),
    "cmd.start": "Mulai dan ikuti Berita Pilihan",
    "cmd.latest": "Berita terbaru",
    "cmd.cari": "Cari berita",
    "cmd.pilihan": "Berita Pilihan hari ini",
    "cmd.topic": "Pilih topik",
    "cmd.subscribe": "Ikuti Berita Pilihan atau topik",
    "cmd.unsubscribe": "Berhenti mengikuti",
    "cmd.settings": "Pengaturan",
    "cmd.stop": "Hentikan semua langganan",
    "cmd.help": "Bantuan",
}
