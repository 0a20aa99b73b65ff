"""Where a benefit stream's volume comes from, as live formulas (issue 28, item 1).

The engine's volume in year t is the volume as written (baseline - follow-up, or a cohort's
participants x engagement x success) times the share of one unit that falls in year t: 1 in the
first benefit year (the lag), less the drop-off in each later year of its duration, and nothing
outside them. A cohort taken on in intakes adds each intake's achievers from its own year. This
module writes those inputs and shares on the Appraisal sheet, reading the Benefits sheet's
baseline, follow-up, participants, engagement and success, so that editing any of them moves
the volume row, and with it every figure the volume feeds, the way ``cba run --set`` would.

Volumes given year by year stay as they are: each year's cell is itself the input.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.appraisal import OutcomeValue
from cba.engine.timeline import BenefitStream
from cba.model.record import record
from cba.render.xlsx_cells import COUNT, PERCENT, number, put_formula, put_input, text_cell

BENEFITS = "'Benefits'!"
#: the Benefits sheet's columns for a cohort: participants, engagement, success
PARTICIPANTS, ENGAGEMENT, SUCCESS = "O", "P", "Q"


@record
class VolumeSource:
    """The rows written for one stream: its volume by year and the years one unit's benefit falls in."""

    volumes: list[str]  # a formula for each appraisal year's volume
    years: str  # a formula for the years one unit's benefit falls in (the break-even's divisor)
    intake_row: int | None  # the row of a cohort's intakes, which the participants sum


def live_volume(s: BenefitStream, o: OutcomeValue, from_arms: bool) -> bool:
    """Whether the stream's volume can be written as formulas over its inputs.

    Volumes by year are their own inputs; a change needs its baseline and follow-up on the Benefits
    sheet. (A spread value over intakes carries no intakes: its shares are the ones the engine worked
    out, times the achievers.)
    """
    if s.volume_kind == "change":
        return from_arms or (o.baseline is not None and o.follow_up is not None)
    return s.volume_kind == "cohort"


def volume_rows(
    ws: Worksheet, s: BenefitStream, benefits_row: int, row: int, cols: list[str], periods: list[str]
) -> tuple[int, VolumeSource]:
    """Write the volume's inputs and shares from ``row``; return the next free row and the formulas."""
    b = benefits_row
    if s.volume_kind == "change":
        written = f"{BENEFITS}C{b}-{BENEFITS}D{b}"
        how = "baseline - follow-up, from the Benefits sheet"
    else:
        written = f"{BENEFITS}{PARTICIPANTS}{b}*{BENEFITS}{ENGAGEMENT}{b}*{BENEFITS}{SUCCESS}{b}"
        how = "participants x engagement x success, from the Benefits sheet"
    text_cell(ws, row, 1, f"Volume as written ({how})")
    put_formula(ws[f"B{row}"], written, COUNT)
    volume_cell = f"$B${row}"
    row += 1
    by_lag = bool(s.intake)  # with intakes, the shares are by periods since each intake
    since = "periods since its intake" if by_lag else "year t"
    share_row = row
    if s.spread and not by_lag:  # a value that is a total over several years: the shares as written, from the lag
        text_cell(ws, row, 1, f"Share of one unit in {since} (a spread value: the shares as written)")
        for i, col in enumerate(cols):
            k = i - s.start_year
            share = s.spread[k] if 0 <= k < len(s.spread) else Decimal(0)
            ws[f"{col}{row}"] = number(share)
            ws[f"{col}{row}"].number_format = "0.0000"
        row += 1
    else:
        lag, duration, drop = row, row + 1, row + 2
        text_cell(ws, lag, 1, "First benefit year t (the lag)" + (" after each intake" if by_lag else ""))
        timing = f"outcomes.{s.outcome}.timing"
        # timing not written: setting a duration alone would also move the lag to 0, so only the lag is a key
        alone = s.timing_note is None or s.start_year == 0
        put_input(ws[f"B{lag}"], s.start_year, "0", f"{timing}.start_year")
        text_cell(ws, duration, 1, "Years the benefit lasts")
        put_input(ws[f"B{duration}"], s.duration, "0", f"{timing}.duration" if alone else None)
        text_cell(ws, drop, 1, "Drop-off: share lost each year after the first")
        put_input(ws[f"B{drop}"], float(s.drop_off), PERCENT, f"{timing}.drop_off" if alone else None)
        share_row = drop + 1
        text_cell(ws, share_row, 1, f"Share of one unit in {since} (1 at the lag, x (1 - drop-off) each year after)")
        for col in cols:
            t = f"{col}$2"
            put_formula(
                ws[f"{col}{share_row}"],
                f"IF(AND({t}>=$B${lag},{t}<$B${lag}+$B${duration}),IF({t}=$B${lag},1,(1-$B${drop})^({t}-$B${lag})),0)",
                "0.0000",
            )
        row = share_row + 1
    if not by_lag:
        volumes = [f"{volume_cell}*{col}{share_row}" for col in cols]
        return row, VolumeSource(volumes, f"SUM({cols[0]}{share_row}:{cols[-1]}{share_row})", None)
    intake_row = row
    text_cell(ws, intake_row, 1, "Intake: taken on in the period (the Benefits sheet's participants are their sum)")
    for i, col in enumerate(cols):
        intake = f"outcomes.{s.outcome}.cohort.intake.{periods[i]}"
        put_input(ws[f"{col}{intake_row}"], number(s.intake.get(i, Decimal(0))), COUNT, intake)
    achieve = f"{BENEFITS}${ENGAGEMENT}${b}*{BENEFITS}${SUCCESS}${b}"
    volumes = []
    for i in range(len(cols)):
        terms = "+".join(f"{cols[k]}{intake_row}*{cols[i - k]}{share_row}" for k in range(i + 1))
        volumes.append(f"{achieve}*({terms})")
    # one unit's years: the achievers' volumes over the horizon (the volume row, next), per achiever
    volume_row = intake_row + 1
    years = f"IF({volume_cell}=0,0,SUM({cols[0]}{volume_row}:{cols[-1]}{volume_row})/{volume_cell})"
    return volume_row, VolumeSource(volumes, years, intake_row)
