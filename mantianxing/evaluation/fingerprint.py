"""Everything that decides a run's result, in one hash.

A run's ranking, rewards and robustness are a function of:
- the scheme body (indicators, weights, normalisations, units, reward tiers, cap and budget);
- the inputs gathered for the period (values, targets, target share, units);
- the number of Monte Carlo draws and the seed of the random generator;
- the rules written in `scoring.py` and `robustness.py`: the target cap, the places scores are rounded
  to, the fen rewards are rounded down to, the spread of the weight factors, the alternative
  normalisations a draw picks from and the random generator. These are kept as `METHOD`, stored with
  each run, so that changing a rule changes the hash of every run made after the change.

The run's SHA-256 covers all of them: two runs share a hash only when they must give the same
result, so "the same scheme on the same data returns the run already made" holds exactly then. The
seed, unless one is asked for, is taken from the scheme and the inputs (the first 8 hex digits of
their joint hash), so running again with the same choices draws the same numbers.

Raise `RULES` whenever the code of the rules changes in a way the constants below do not show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mantianxing.evaluation.robustness import ALTERNATIVES, WEIGHT_SIGMA
from mantianxing.evaluation.schemes import digest
from mantianxing.evaluation.scoring import FEN, PLACES, TARGET_CAP

RULES = 1
METHOD: dict[str, Any] = {
    "rules": RULES,
    "target_cap": TARGET_CAP,
    "places": PLACES,
    "fen": str(FEN),
    "weight_sigma": WEIGHT_SIGMA,
    "alternatives": list(ALTERNATIVES),
    "generator": "numpy.random.default_rng (PCG64)",
}
# numpy accepts any non-negative seed; the column is a signed 64-bit integer.
MAX_SEED = 2**63 - 1


def default_seed(scheme_body: Mapping[str, Any], inputs: Mapping[str, Any]) -> int:
    """The seed used unless one is asked for: the same scheme and inputs always draw the same numbers."""
    return int(digest({"scheme": scheme_body, "inputs": inputs})[:8], 16)


def run_digest(
    scheme_body: Mapping[str, Any],
    inputs: Mapping[str, Any],
    draws: int,
    seed: int,
    method: Mapping[str, Any],
) -> str:
    """The run's SHA-256: the scheme, the inputs, the draws, the seed and the rules' constants."""
    return digest({"scheme": scheme_body, "inputs": inputs, "draws": draws, "seed": seed, "method": method})
