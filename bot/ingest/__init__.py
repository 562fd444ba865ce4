"""The ingest pipeline: due sources → fetch and parse → articles stored → stories formed.

Owns: one poll cycle (`cycle`), polling one source (`polling`), reading article pages into clean
text, summary and topics (`enrichment`), joining articles into stories (`clustering`), and the
source lists: the TOML file (`sources_file`, the bundled `sources.toml`) and OPML (`opml`,
`opml_import`). May import `bot.news` and `storage`; never Telegram, delivery or handlers.
"""
