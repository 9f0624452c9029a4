"""Sealing identity codes: AES-256-GCM with rotating keys, and a keyed hash for lookup.

A sealed code is "<key id>:<base64url of 12-byte nonce + ciphertext + tag>". The key ring comes from
settings.IDENTITY_CODE_KEYS ("id:base64key,id:base64key"): the FIRST key seals, every listed key
opens, so a new key is put first and the old ones stay until `lape rotate-identity-code-keys` has
re-sealed every row. The associated data binds a sealed value to its person, so a value copied onto
another person's row does not open. The lookup hash is HMAC-SHA-256 under a separate key
(settings.IDENTITY_CODE_LOOKUP_KEY) that is never one of the encryption keys: whoever has the
database alone can neither open the codes nor test guesses against the hashes.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import os
import re
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .identity_codes import normalise

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
_KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")
_PURPOSE = b"lape.people.identity_code"

# Only for the demo and tests (DEBUG or LAPE_ALLOW_INSECURE_KEY=1): keys derived from a public
# constant, so anyone can open what they seal. Never used when real keys are configured.
INSECURE_KEY_ID = "insecure-dev"
_INSECURE_SEED = b"lape-insecure-identity-code-keys-not-for-production"


class SealedValueError(Exception):
    """A sealed value that cannot be opened: its key is not configured, or it was altered or moved."""


@dataclasses.dataclass(frozen=True)
class KeyRing:
    """The encryption keys (the first seals) and the lookup key."""

    keys: tuple[tuple[str, bytes], ...]
    lookup_key: bytes
    insecure: bool = False

    @property
    def current_key_id(self) -> str:
        """The id of the key that seals."""
        return self.keys[0][0]

    def key(self, key_id: str) -> bytes | None:
        """The key with this id, or None when it is not configured."""
        return dict(self.keys).get(key_id)


def _decode_key(text: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(text.strip().replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{what} is not base64.") from None
    return raw


def parse_keys(text: str) -> tuple[tuple[str, bytes], ...]:
    """Parse "id:base64key,id:base64key" into (id, 32-byte key) pairs, first the sealing key."""
    keys: list[tuple[str, bytes]] = []
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        key_id, sep, encoded = entry.partition(":")
        if not sep or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                "LAPE_IDENTITY_CODE_KEYS: each key is 'id:base64key', the id 1–32 of A–Z a–z 0–9 _ . -"
            )
        key = _decode_key(encoded, f"LAPE_IDENTITY_CODE_KEYS: the key {key_id}")
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(f"LAPE_IDENTITY_CODE_KEYS: the key {key_id} is not 32 bytes.")
        if any(key_id == known for known, _key in keys):
            raise ImproperlyConfigured(f"LAPE_IDENTITY_CODE_KEYS: the key id {key_id} appears twice.")
        keys.append((key_id, key))
    return tuple(keys)


def _insecure_key(label: bytes) -> bytes:
    return hashlib.sha256(_INSECURE_SEED + b":" + label).digest()


def key_ring() -> KeyRing:
    """The configured keys; development keys in demo/test mode; otherwise ImproperlyConfigured."""
    keys_text = getattr(settings, "IDENTITY_CODE_KEYS", "")
    lookup_text = getattr(settings, "IDENTITY_CODE_LOOKUP_KEY", "")
    if not keys_text and not lookup_text:
        if getattr(settings, "IDENTITY_CODE_INSECURE_KEYS", False):
            return KeyRing(
                keys=((INSECURE_KEY_ID, _insecure_key(b"seal")),),
                lookup_key=_insecure_key(b"lookup"),
                insecure=True,
            )
        raise ImproperlyConfigured(
            "Identity codes need keys: set LAPE_IDENTITY_CODE_KEYS and LAPE_IDENTITY_CODE_LOOKUP_KEY "
            "(see docs/people.md), or LAPE_DEBUG=1 / LAPE_ALLOW_INSECURE_KEY=1 for the demo."
        )
    keys = parse_keys(keys_text)
    if not keys:
        raise ImproperlyConfigured("LAPE_IDENTITY_CODE_KEYS is empty: identity codes cannot be sealed.")
    if not lookup_text:
        raise ImproperlyConfigured("LAPE_IDENTITY_CODE_LOOKUP_KEY is empty: identity codes cannot be found.")
    lookup_key = _decode_key(lookup_text, "LAPE_IDENTITY_CODE_LOOKUP_KEY")
    if len(lookup_key) < KEY_BYTES:
        raise ImproperlyConfigured("LAPE_IDENTITY_CODE_LOOKUP_KEY must be at least 32 bytes.")
    if any(hmac.compare_digest(lookup_key, key) for _id, key in keys):
        raise ImproperlyConfigured("LAPE_IDENTITY_CODE_LOOKUP_KEY must not be one of the encryption keys.")
    return KeyRing(keys=keys, lookup_key=lookup_key)


def _associated_data(key_id: str, person_id: uuid.UUID) -> bytes:
    return b"|".join((_PURPOSE, key_id.encode(), str(person_id).encode()))


def seal(code: str, person_id: uuid.UUID, ring: KeyRing | None = None) -> str:
    """The normalised code encrypted with the current key, bound to the person it belongs to."""
    ring = ring or key_ring()
    key_id, key = ring.keys[0]
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, normalise(code).encode(), _associated_data(key_id, person_id))
    return f"{key_id}:{base64.urlsafe_b64encode(nonce + ciphertext).decode()}"


def sealed_key_id(sealed: str) -> str:
    """The id of the key a sealed value was sealed with."""
    return sealed.partition(":")[0]


def unseal(sealed: str, person_id: uuid.UUID, ring: KeyRing | None = None) -> str:
    """Open a sealed code of this person, or raise SealedValueError (the code never in the message)."""
    ring = ring or key_ring()
    key_id, sep, payload = sealed.partition(":")
    key = ring.key(key_id)
    if not sep or key is None:
        raise SealedValueError(f"the key {key_id!r} that sealed this identity code is not configured")
    try:
        raw = base64.urlsafe_b64decode(payload.encode())
        opened = AESGCM(key).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(key_id, person_id)
        )
    except (InvalidTag, binascii.Error, ValueError):
        raise SealedValueError(
            "the sealed identity code does not open: altered, or not this person's"
        ) from None
    return opened.decode()


def lookup_hash(code: str, ring: KeyRing | None = None) -> str:
    """HMAC-SHA-256 (hex) of the normalised code under the lookup key."""
    ring = ring or key_ring()
    return hmac.new(ring.lookup_key, normalise(code).encode(), hashlib.sha256).hexdigest()


def generate_key() -> str:
    """A new random 32-byte key, base64: for LAPE_IDENTITY_CODE_KEYS or the lookup key."""
    return base64.b64encode(os.urandom(KEY_BYTES)).decode()
