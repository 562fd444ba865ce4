"""News processing without Telegram and without a database.

In the order an article meets them: `fetch` (polite HTTP, address guard, poll cadence), `parse`
(feeds, sitemaps, index pages → `items`), `extract` (a page → text and metadata), `text`
(boilerplate, sentences, summaries), `topics` (taxonomy and classification) and `dedup`
(canonical URLs, MinHash near-duplicates). Imports nothing from the rest of `bot`, `storage`,
SQLAlchemy or Telegram: pure functions and small classes over bytes, text and dataclasses.
"""
