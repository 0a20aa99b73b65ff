"""``cba options --draws N``: the shortlist drawn in one world, and the value of perfect information between options.

Every option's ranged inputs are drawn once per draw (an input two options share is the same draw in both:
they are appraised in one world, so it must have one range), each option's NPV is evaluated on its own
linear model (``sweep.evaluate``), and its NPSV against business as usual is its NPV less business as usual's
in the same draw. The choice is the option with the highest expected NPSV (business as usual's is 0);
the expected value of perfect information is E[max over options of the NPSV] - max over options of E[NPSV]:
what knowing every input before choosing would be worth at most.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np

from cba.engine.correlation import correlate
from cba.engine.options import Option
from cba.engine.result import Column, Table, to_pennies, to_ratio
from cba.engine.sweep import evaluate, linear_model, sample
from cba.model.errors import UsageError
from cba.model.scenario import Distribution


def draw_options(
    options: Sequence[Option],
    ranges: Sequence[dict[str, Distribution]],
    correlations: Sequence[Sequence[tuple[str, str, float]]],
    *,
    draws: int,
    seed: int,
    attributable: Sequence[str] = (),
) -> tuple[Table, Table]:
    """(each option's NPSV against business as usual over the draws, the EVPI between options). The command line
    holds ``draws`` to 1 to 1,000,000: every option's draws are held together, in one pass."""
    shared: dict[str, tuple[str, Distribution]] = {}
    for option, given in zip(options, ranges):
        for key, d in given.items():
            if key in shared and shared[key][1] != d:
                raise UsageError(
                    f"options: {option.name} gives {key} another range than {shared[key][0]} does: the options are "
                    "drawn in one world, so an input they share has one range"
                )
            shared.setdefault(key, (option.name, d))
    if not shared:
        raise UsageError("options: --draws needs ranges (uncertainty:) in at least one option; none has any")
    pairs = list(dict.fromkeys(p for given in correlations for p in given))
    rng = np.random.default_rng(seed)
    inputs = {key: sample(d, draws, rng) for key, (_, d) in shared.items()}
    if pairs:
        inputs = correlate(inputs, pairs, rng)
    npv = []
    for option, given in zip(options, ranges):
        model = linear_model(option.run.figures, option.run.settings.appraised)
        own = {key: inputs[key] for key in given}
        npv.append(np.broadcast_to(evaluate(model, own, draws, attributable).npv, (draws,)))
    against = np.vstack([v - npv[0] for v in npv])  # business as usual's row is 0 in every draw
    means = against.mean(axis=1)
    best = against.argmax(axis=0)  # the first of equals, as the ranking keeps the order given
    evpi = float(against.max(axis=0).mean() - means.max())
    rows = tuple(
        (
            o.name,
            to_pennies(float(means[i])),
            to_pennies(float(np.percentile(against[i], 5))),
            to_pennies(float(np.percentile(against[i], 95))),
            to_ratio(100 * float(np.count_nonzero(best == i)) / draws),
        )
        for i, o in enumerate(options)
    )
    per_option = Table(
        "drawn",
        f"The options over {draws:,} draws of their ranges (seed {seed})",
        (
            Column("option", "Option", "text"),
            Column("mean_npsv_against_bau", "Mean NPSV against business as usual", "money"),
            Column("p5_npsv_against_bau", "5th percentile", "money"),
            Column("p95_npsv_against_bau", "95th percentile", "money"),
            Column("chance_best", "Chance it has the highest NPSV (%)", "percent"),
        ),
        rows,
        notes=(
            "Each draw sets every ranged input once, for every option that ranges it; business as usual's NPSV "
            "against itself is 0 in every draw.",
        ),
    )
    choice = options[int(means.argmax())].name
    value = Table(
        "value_of_information",
        "The value of perfect information between the options",
        (
            Column("draws", "Draws", "count"),
            Column("seed", "Seed", "text"),
            Column("choice_on_expectation", "Option chosen on the mean NPSV", "text"),
            Column("evpi", "Expected value of perfect information (EVPI)", "money"),
        ),
        ((Decimal(draws), str(seed), choice, to_pennies(evpi)),),
        notes=(
            "EVPI = E[max over the options of the NPSV against business as usual] - max over the options of "
            "E[NPSV]: the most that knowing every ranged input before choosing could be worth; nil when one "
            "option is best in every draw. float64 Monte Carlo; money rounded half-up to the penny.",
        ),
    )
    return per_option, value
