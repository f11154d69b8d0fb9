"""Checksum validation for crypto wallet addresses and IBANs (pure Python, stdlib only).

Checksums keep hashes, API keys and request ids that merely look like addresses out of the findings.
"""

import hashlib

_B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58_ALPHABET)}

# Version bytes of 25-byte base58check addresses we accept: BTC P2PKH/P2SH, LTC, DOGE, TRON.
_B58_VERSIONS = {
	"btc": {0x00, 0x05},
	"ltc": {0x30, 0x32},
	"doge": {0x1E, 0x16},
	"tron": {0x41},
}


def _b58decode(s: str) -> bytes | None:
	num = 0
	for ch in s:
		idx = _B58_INDEX.get(ch)
		if idx is None:
			return None
		num = num * 58 + idx
	body = num.to_bytes((num.bit_length() + 7) // 8, "big") if num else b""
	pad = len(s) - len(s.lstrip("1"))
	return b"\x00" * pad + body


def base58check_version(s: str) -> int | None:
	"""Version byte of a valid 25-byte base58check address, else None."""
	raw = _b58decode(s)
	if raw is None or len(raw) != 25:
		return None
	payload, checksum = raw[:-4], raw[-4:]
	if hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4] != checksum:
		return None
	return payload[0]


def is_base58_address(s: str, chains: tuple[str, ...] = ("btc", "ltc", "doge", "tron")) -> bool:
	version = base58check_version(s)
	if version is None:
		return False
	return any(version in _B58_VERSIONS[c] for c in chains)


# --- bech32 / bech32m (BIP-173, BIP-350) -------------------------------------------------------------

_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONST = 1
_BECH32M_CONST = 0x2BC830A3


def _bech32_polymod(values: list[int]) -> int:
	gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
	chk = 1
	for v in values:
		top = chk >> 25
		chk = (chk & 0x1FFFFFF) << 5 ^ v
		for i in range(5):
			chk ^= gen[i] if ((top >> i) & 1) else 0
	return chk


def _hrp_expand(hrp: str) -> list[int]:
	return [ord(x) >> 5 for x in hrp] + [0] + [ord(x) & 31 for x in hrp]


def _convertbits(data: list[int], frombits: int, tobits: int) -> list[int] | None:
	acc = bits = 0
	ret = []
	maxv = (1 << tobits) - 1
	for value in data:
		acc = (acc << frombits) | value
		bits += frombits
		while bits >= tobits:
			bits -= tobits
			ret.append((acc >> bits) & maxv)
	if bits >= frombits or ((acc << (tobits - bits)) & maxv):
		return None
	return ret


def is_segwit_address(addr: str, hrps: tuple[str, ...] = ("bc", "ltc")) -> bool:
	"""True for a checksum-valid segwit address (bech32 for v0, bech32m for v1+)."""
	if addr.lower() != addr and addr.upper() != addr:
		return False
	addr = addr.lower()
	pos = addr.rfind("1")
	if pos < 1 or pos + 7 > len(addr) or len(addr) > 90:
		return False
	hrp, data_part = addr[:pos], addr[pos + 1 :]
	if hrp not in hrps:
		return False
	data = [_BECH32_CHARSET.find(c) for c in data_part]
	if -1 in data:
		return False
	const = _bech32_polymod(_hrp_expand(hrp) + data)
	if const not in (_BECH32_CONST, _BECH32M_CONST):
		return False
	version = data[0]
	program = _convertbits(data[1:-6], 5, 8)
	if program is None or not 2 <= len(program) <= 40 or version > 16:
		return False
	if version == 0:
		return const == _BECH32_CONST and len(program) in (20, 32)
	return const == _BECH32M_CONST


# --- keccak-256 and EIP-55 ---------------------------------------------------------------------------
# hashlib.sha3_256 is the NIST variant (different padding), so Ethereum's keccak is implemented here.

_KECCAK_RC = (
	0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
	0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
	0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
	0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
	0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
	0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
)  # fmt: skip
_KECCAK_ROT = (
	(0, 36, 3, 41, 18),
	(1, 44, 10, 45, 2),
	(62, 6, 43, 15, 61),
	(28, 55, 25, 21, 56),
	(27, 20, 39, 8, 14),
)
_MASK64 = (1 << 64) - 1


def _rol(x: int, n: int) -> int:
	return ((x << n) | (x >> (64 - n))) & _MASK64 if n else x


def _keccak_f(a: list[list[int]]) -> None:
	for rc in _KECCAK_RC:
		c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
		d = [c[(x - 1) % 5] ^ _rol(c[(x + 1) % 5], 1) for x in range(5)]
		for x in range(5):
			for y in range(5):
				a[x][y] ^= d[x]
		b = [[0] * 5 for _ in range(5)]
		for x in range(5):
			for y in range(5):
				b[y][(2 * x + 3 * y) % 5] = _rol(a[x][y], _KECCAK_ROT[x][y])
		for x in range(5):
			for y in range(5):
				a[x][y] = b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
		a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
	rate = 136
	padded = bytearray(data)
	padded.append(0x01)
	while len(padded) % rate:
		padded.append(0)
	padded[-1] |= 0x80
	state = [[0] * 5 for _ in range(5)]
	for off in range(0, len(padded), rate):
		block = padded[off : off + rate]
		for i in range(rate // 8):
			lane = int.from_bytes(block[8 * i : 8 * i + 8], "little")
			state[i % 5][i // 5] ^= lane
		_keccak_f(state)
	out = b"".join(state[i % 5][i // 5].to_bytes(8, "little") for i in range(4))
	return out


def is_eth_address(addr: str) -> bool:
	"""0x + 40 hex; a mixed-case address must carry a valid EIP-55 checksum."""
	if len(addr) != 42 or not addr.startswith(("0x", "0X")):
		return False
	body = addr[2:]
	try:
		int(body, 16)
	except ValueError:
		return False
	if body.islower() or body.isupper() or body.isdigit():
		return True
	digest = keccak256(body.lower().encode("ascii")).hex()
	for ch, h in zip(body, digest[:40], strict=True):
		if ch.isalpha() and ch.isupper() != (int(h, 16) >= 8):
			return False
	return True


def is_iban(s: str) -> bool:
	"""ISO 13616 mod-97 check on an IBAN with spaces removed."""
	s = s.replace(" ", "").upper()
	if not 15 <= len(s) <= 34 or not s[:2].isalpha() or not s[2:4].isdigit() or not s.isalnum():
		return False
	rearranged = s[4:] + s[:4]
	digits = "".join(str(int(ch, 36)) for ch in rearranged)
	return int(digits) % 97 == 1
