"""One article page → its text and metadata: body element, JSON-LD and meta tags, dates as
Indonesian pages write them, and the further pages of a multi-page article."""
