"""The fixed topic taxonomy and Indonesia's regions, newsroom vocabulary, and classification."""
