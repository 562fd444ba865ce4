"""Same article, same story: canonical URLs, and MinHash signatures over shingles of the text."""
