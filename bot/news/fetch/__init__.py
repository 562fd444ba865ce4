"""Polite HTTP: the fetcher (`client`), its errors and headers, the address guard for untrusted
sources (`address_guard`, `source_guard`), and when to poll a source next (`cadence`)."""
