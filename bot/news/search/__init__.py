"""Search over stories, without a database: Indonesian text analysis and the query language.

`analysis` folds case and accents, drops common words and stems with Sastrawi; documents and
queries go through the same function, so the stores index what queries look for. `query`
parses what a reader types ("banjir -jakarta", "\"wang yi\"") into a `Query` of analysed terms
(storage.search renders them for FTS5 and PostgreSQL) that also matches an analysed story in
memory, for keyword pushes. `document` analyses a story's headlines, summary and body into
the fields both stores index.
"""

# Bump when analysis changes what a text's tokens are: the index is then rebuilt story by
# story (storage.search.unindexed finds entries of an older version).
ANALYSIS_VERSION = 1
