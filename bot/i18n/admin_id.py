"""Indonesian strings of the admin commands (the reference language)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "admin.refused": "Maaf, perintah ini tidak tersedia untuk Anda.",
    "admin.usage.broadcast": (
        "Kirim /broadcast diikuti teksnya, atau balas pesan apa pun dengan /broadcast.\n"
        "Audiens (opsional, sebelum teks): topik:olahraga, wilayah:jawa-timur, bahasa:en, "
        'kata:banjir atau kata:"banjir bandang", jenis:pribadi|grup|kanal, audiens:semua. '
        "Tanpa itu, siaran dikirim ke semua pengikut."
    ),
    "admin.broadcast.preview": (
        "📣 Pratinjau di atas.\nAudiens: {audience}\n"
        "Pesan akan dikirim ke <b>{reach}</b> obrolan. Kirim sekarang?"
    ),
    "admin.broadcast.preview_empty": (
        "📣 Pratinjau di atas.\nAudiens: {audience}\n"
        "⚠️ Audiens ini kosong: tidak ada obrolan yang akan menerimanya. Pilih audiens lain."
    ),
    "admin.broadcast.empty": (
        "Tidak ada obrolan dalam audiens ini ({audience}), jadi tidak ada yang dikirim."
    ),
    "admin.broadcast.empty_alert": "Audiens ini kosong: tidak ada yang dikirim.",
    "admin.audience.followers": "semua pengikut (Berita Pilihan, topik, wilayah atau kata kunci)",
    "admin.audience.everyone": "semua obrolan tempat bot berada",
    "admin.audience.topic": "pengikut topik {name}",
    "admin.audience.region": "pengikut wilayah {name}",
    "admin.audience.keyword": "pengikut kata kunci “{keyword}”",
    "admin.audience.type.private": ", obrolan pribadi saja",
    "admin.audience.type.group": ", grup saja",
    "admin.audience.type.channel": ", kanal saja",
    "admin.audience.lang.id": ", berbahasa Indonesia",
    "admin.audience.lang.en": ", berbahasa Inggris",
    "admin.audience.bad.topic": "Topik “{typed}” tidak dikenal. Topik yang ada: {topics}.",
    "admin.audience.bad.region": (
        "Wilayah “{typed}” tidak dikenal. Tulis nama provinsi, misalnya wilayah:jawa-timur."
    ),
    "admin.audience.bad.language": (
        "Bahasa “{typed}” tidak dikenal: pakai bahasa:id atau bahasa:en."
    ),
    "admin.audience.bad.keyword": "Kata kunci harus 2 sampai {max} huruf.",
    "admin.audience.bad.type": (
        "Jenis obrolan “{typed}” tidak dikenal: pakai jenis:pribadi, jenis:grup atau jenis:kanal."
    ),
    "admin.audience.bad.base": (
        "“{typed}” tidak dikenal: pakai audiens:semua atau audiens:pengikut."
    ),
    "admin.audience.bad.both": (
        "Satu siaran untuk satu topik, satu wilayah atau satu kata kunci saja, tidak sekaligus."
    ),
    "admin.audience.btn.followers": "👥 Pengikut",
    "admin.audience.btn.everyone": "🌐 Semua obrolan",
    "admin.audience.btn.private": "Pribadi",
    "admin.audience.btn.group": "Grup",
    "admin.audience.btn.channel": "Kanal",
    "admin.audience.btn.lang.id": "Bahasa ID",
    "admin.audience.btn.lang.en": "Bahasa EN",
    "admin.audience.btn.topics": "🏷 Topik…",
    "admin.audience.btn.regions": "📍 Wilayah…",
    "admin.audience.btn.back": "« Kembali",
    "admin.audience.checked": "✓ {label}",
    "admin.stats.broadcasts": "Siaran berjalan: {lines}",
    "admin.stats.broadcast": "#{id} ke {audience}: {total} obrolan, sisa {remaining}",
    "admin.broadcast.confirm": "✅ Kirim",
    "admin.broadcast.cancel": "✖ Batal",
    "admin.broadcast.cancelled": "Siaran #{id} dibatalkan.",
    "admin.broadcast.gone": "Siaran ini sudah tidak menunggu.",
    "admin.broadcast.progress": (
        "📣 Siaran #{id} berjalan, ke {audience}: {total} obrolan\n"
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
        "Dibagikan lewat mode inline: {shares} hari ini; per hari: {shares_by_day}{broadcasts}"
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
