"""Telegram-free, database-free news processing: fetch, parse, extract, clean, dedup, summarise."""
