"""The data layer: the IDX format of MNIST and Fashion-MNIST."""

from .idx import IdxError, decode_idx, encode_idx, read_idx, write_idx

__all__ = ["read_idx", "write_idx", "decode_idx", "encode_idx", "IdxError"]
