"""Same story, different outlet: MinHash signatures over word shingles and LSH band keys.

A signature is 128 MinHash values (datasketch, scheme ``affine32``) of the article's 3-word
shingles plus the number of distinct shingles.  The count lets the verifier estimate
containment as well as Jaccard: a copy cut to its first 60 % shares at most 0.6 of the union
but nearly all of itself.  Band keys (64 bands of 2 values) go into an indexed BIGINT column;
stories sharing any band key are candidates, and ``is_same_story`` decides.

Every parameter was chosen by ``python -m bench.dedup`` on the dev texts; changing any of them
(or the datasketch scheme) invalidates stored signatures and band keys, so ``SIGNATURE_VERSION``
must change with them.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from bot.news.dedup.shingles import shingles, words

SIGNATURE_VERSION = 1
SEED = 1
SCHEME = "affine32"


@dataclass(frozen=True, slots=True)
class DedupParams:
    """Everything that shapes a signature and the same-story decision."""

    num_perm: int = 128
    bands: int = 64
    rows: int = 2  # bands * rows <= num_perm
    shingle_size: int = 3
    min_words: int = 8  # below this a text is too short to estimate: exact matching only
    jaccard_threshold: float = 0.30
    containment_threshold: float = 0.65
    # Containment says "the shorter text is inside the longer one"; for a handful of shingles
    # that holds for any generic phrase, so it needs this many shingles in the shorter text.
    min_containment_shingles: int = 40


PARAMS = DedupParams()
_HEADER = struct.Struct("<BI")  # version, distinct shingle count


@dataclass(frozen=True, slots=True, eq=False)
class Signature:
    """MinHash values of one text and how many distinct shingles it had."""

    values: npt.NDArray[np.uint32]
    size: int


def exact_fingerprint(text: str) -> str:
    """Return a hex digest of the normalised words, equal for texts that differ only in form."""
    return hashlib.sha256(" ".join(words(text)).encode()).hexdigest()


def signature(text: str, params: DedupParams = PARAMS) -> Signature | None:
    """Return the MinHash signature of body text, or None when it is too short to compare."""
    return signatures([text], params)[0]


def signatures(texts: Iterable[str], params: DedupParams = PARAMS) -> list[Signature | None]:
    """Return signatures for many texts, sharing the permutation set-up between them."""
    sets = [
        shingles(tokens, params.shingle_size) if len(tokens) >= params.min_words else None
        for tokens in map(words, texts)
    ]
    usable = [s for s in sets if s is not None]
    # generator() builds the permutations once for the whole batch.  CRC-32 hashes a shingle
    # four times faster than datasketch's default SHA-1 and is stable across platforms; its
    # linearity does no harm because the affine32 scheme mixes every input with the
    # MurmurHash3 finaliser before permuting.
    hashes = MinHash.generator(
        usable, num_perm=params.num_perm, seed=SEED, scheme=SCHEME, hashfunc=zlib.crc32
    )
    return [
        None if s is None else Signature(np.asarray(next(hashes).hashvalues, np.uint32), len(s))
        for s in sets
    ]


def signature_to_bytes(sig: Signature) -> bytes:
    """Serialise a signature for storage (version, shingle count, little-endian values)."""
    return _HEADER.pack(SIGNATURE_VERSION, sig.size) + sig.values.astype("<u4").tobytes()


def signature_from_bytes(data: bytes, params: DedupParams = PARAMS) -> Signature:
    """Read a signature written by ``signature_to_bytes``; refuse other versions."""
    version, size = _HEADER.unpack_from(data)
    if version != SIGNATURE_VERSION or len(data) != _HEADER.size + 4 * params.num_perm:
        raise ValueError(f"signature of version {version} and {len(data)} bytes is not usable")
    values = np.frombuffer(data, dtype="<u4", offset=_HEADER.size).astype(np.uint32)
    return Signature(values, size)


def band_keys(sig: Signature, params: DedupParams = PARAMS) -> list[int]:
    """Return one key per LSH band, each in [0, 2**63) so it fits a signed BIGINT column."""
    raw = sig.values.astype("<u4").tobytes()
    width = 4 * params.rows
    keys = []
    for band in range(params.bands):
        # The band number is hashed in, so equal values in different bands never collide.
        digest = hashlib.blake2b(
            raw[band * width : (band + 1) * width], digest_size=8, salt=band.to_bytes(2, "little")
        ).digest()
        keys.append(int.from_bytes(digest, "little") >> 1)
    return keys


def similarity(sig_a: Signature, sig_b: Signature) -> float:
    """Return the estimated Jaccard index of the two texts' shingle sets."""
    return float(np.count_nonzero(sig_a.values == sig_b.values)) / len(sig_a.values)


def containment(sig_a: Signature, sig_b: Signature) -> float:
    """Return the estimated share of the smaller shingle set found in the larger one."""
    jaccard = similarity(sig_a, sig_b)
    # |A & B| = J * |A | B| and |A | B| = (|A| + |B|) / (1 + J).
    shared = jaccard * (sig_a.size + sig_b.size) / (1.0 + jaccard)
    return min(1.0, shared / max(1, min(sig_a.size, sig_b.size)))


def is_same_story(sig_a: Signature, sig_b: Signature, params: DedupParams = PARAMS) -> bool:
    """Decide whether two signatures belong to copies of one story."""
    if similarity(sig_a, sig_b) >= params.jaccard_threshold:
        return True
    return (
        min(sig_a.size, sig_b.size) >= params.min_containment_shingles
        and containment(sig_a, sig_b) >= params.containment_threshold
    )
