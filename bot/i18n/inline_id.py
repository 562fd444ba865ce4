"""Inline mode and sharing (Indonesian, the reference language)."""

MESSAGES = {
    "inline.follow": "Ikuti Berita Pilihan",
    "inline.open_bot": "Ikuti Berita Pilihan di obrolan dengan bot",
    "inline.no_results": "Tidak ada berita yang cocok · Buka bot",
    "help.inline": (
        "Bagikan berita ke obrolan mana pun: ketik <code>@{bot} kata</code> di kolom pesan "
        "(tanpa kata: Berita Pilihan hari ini)."
    ),
    "pilihan.latest_day": (
        "<i>Belum ada berita dalam 24 jam terakhir; ini pilihan dari hari terakhir yang ada "
        "beritanya.</i>"
    ),
}
