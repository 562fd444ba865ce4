"""Indonesian strings of the admin commands (the reference language)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "admin.refused": "Maaf, perintah ini tidak tersedia untuk Anda.",
    "admin.usage.broadcast": (
        "Kirim /broadcast diikuti teksnya, atau balas pesan apa pun dengan /broadcast."
    ),
    "admin.broadcast.preview": (
        "📣 Pratinjau di atas. Pesan akan dikirim ke <b>{reach}</b> obrolan. Kirim sekarang?"
    ),
    "admin.broadcast.confirm": "✅ Kirim",
    "admin.broadcast.cancel": "✖ Batal",
    "admin.broadcast.cancelled": "Siaran #{id} dibatalkan.",
    "admin.broadcast.gone": "Siaran ini sudah tidak menunggu.",
    "admin.broadcast.progress": (
        "📣 Siaran #{id} berjalan\n"
        "Terkirim: {sent} · diblokir: {blocked} · gagal: {failed}\n"
        "Sisa: {remaining} · {rate} pesan/dtk · sekitar {eta} lagi"
    ),
    "admin.broadcast.report": (
        "📣 Siaran #{id} {status}\n"
        "Terkirim: {sent} · diblokir: {blocked} · gagal: {failed} · dibatalkan: {cancelled}\n"
        "Waktu: {elapsed}"
    ),
    "admin.status.done": "selesai",
    "admin.status.cancelled": "dibatalkan",
    "admin.stats": (
        "📊 <b>Statistik</b>\n"
        "Obrolan: {active} aktif, {inactive} tidak aktif ({by_type})\n"
        "Pengikut Berita Pilihan: {pilihan}\n"
        "Pengikut per topik: {topics}\n"
        "Berita hari ini: {stories}\n"
        "Pesan hari ini: {sent} terkirim, {blocked} diblokir, {chat_not_found} obrolan tidak ada, "
        "{migrated} pindah, {deferred} ditunda (429), {retried} diulang, {failed} gagal, "
        "{plain_text} teks biasa, {cancelled} dibatalkan, {skipped} dilewati\n"
        "Menunggu dikirim: {pending}\n"
        "Galat pengiriman terakhir: {last_error}\n"
        "Sumber bermasalah: {failing}\n"
        "Dibagikan lewat mode inline: {shares} hari ini; per hari: {shares_by_day}"
    ),
    "admin.none": "tidak ada",
    "admin.sources.header": "📰 <b>Sumber</b> ({count})",
    "admin.sources.line": "{mark} <b>{name}</b> — {state}",
    "admin.sources.ok": "terakhir berhasil {when}",
    "admin.sources.never": "belum pernah berhasil diambil",
    "admin.sources.failing": "{failures} kali gagal: {error}",
    "admin.sources.paused": "dijeda: {reason}",
    "admin.source.usage": (
        "Cara pakai: /source add <url> [topik] · /source pause|resume|remove <nama>"
    ),
    "admin.source.added": "✅ Sumber <b>{name}</b> ditambahkan; diambil pada siklus berikutnya.",
    "admin.source.exists": "Sumber dengan nama atau alamat itu sudah ada.",
    "admin.source.refused": "Alamat itu tidak diizinkan: {reason}.",
    "admin.source.not_found": "Tidak ada sumber bernama <b>{name}</b>.",
    "admin.source.paused": "⏸ Sumber <b>{name}</b> dijeda.",
    "admin.source.resumed": "▶ Sumber <b>{name}</b> dilanjutkan.",
    "admin.source.removed": "🗑 Sumber <b>{name}</b> dihapus.",
    "admin.pick.usage": "Kirim /pick dengan tautan atau nomor berita.",
    "admin.pick.not_found": "Berita itu tidak ditemukan.",
    "admin.pick.done": "📌 Disematkan ke Berita Pilihan berikutnya: <b>{title}</b>",
    "admin.pilihan_now.done": "📬 Berita Pilihan diantrekan untuk {count} obrolan.",
    "admin.pilihan_now.unavailable": "Pemilih Berita Pilihan tidak tersedia.",
    "admin.add.usage": "Kirim /admin add <id pengguna>.",
    "admin.add.done": "✅ Pengguna {user_id} sekarang admin.",
    "admin.add.already": "Pengguna {user_id} sudah admin.",
}
