"""Indonesian strings of the personal Berita Pilihan: feedback buttons, why, reset."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "feedback.more": "👍 Lebih banyak seperti ini",
    "feedback.less": "👎 Kurangi seperti ini",
    "feedback.more_n": "👍 {n}",
    "feedback.less_n": "👎 {n}",
    "feedback.hint": "👍/👎 di bawah: lebih banyak atau kurangi berita seperti nomor itu.",
    "feedback.reset": "↺ Atur ulang pilihan saya",
    "feedback.why": "Karena Anda mengikuti {names}",
    "feedback.learned_more": "👍 Dicatat: lebih banyak berita seperti ini.",
    "feedback.learned_less": "👎 Dicatat: lebih sedikit berita seperti ini.",
    "feedback.already": "Sudah dicatat sebelumnya.",
    "feedback.story_gone": "Berita ini sudah tidak tersimpan; tidak ada yang berubah.",
    "feedback.stale_reset": (
        "Tombol ini dari sebelum pilihan Anda diatur ulang; tidak ada yang berubah."
    ),
    "feedback.erased": "Data chat ini sudah dihapus; tombol lama tidak mengubah apa pun.",
    "feedback.admins_only": (
        "Hanya admin yang bisa mengajari Berita Pilihan di sini; tidak ada yang berubah."
    ),
    "feedback.reset_done": "Pilihan Anda diatur ulang: Berita Pilihan kembali ke pilihan redaksi.",
    "feedback.reset_none": "Belum ada yang dipelajari; tidak ada yang diatur ulang.",
}
