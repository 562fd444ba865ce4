"""Article text: boilerplate stripped, sentences split, an extractive summary written."""
