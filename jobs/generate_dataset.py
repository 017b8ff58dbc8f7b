#!/usr/bin/env python3
"""Writes a paper-shaped weather dataset as CSV: weekly parts weather_1.csv, weather_2.csv, ... and manifest.json.

The columns are those of the crawler's table (crawler/schema/observations.sql), without collected_at:

    id,observed_at,source,location,temperature_c,pm10_ugm3,pm25_ugm3,ozone_ppm

observed_at is UTC, "YYYY-MM-DD HH:MM:SS"; numbers are printed at the table's DECIMAL scales (23.40, 34.00,
0.0310). Every source reports one row every 3 s, as in the paper (one month, May 2021, 122,408,524 rows). Rows are in
time order, then source order; ids count up from 1 across the parts like an auto-increment key.

The period (default: the paper's month, 2021-05-01 for 31 days) is cut into parts of --part-days days (default 7),
the last part taking the remainder, as the paper did: 1-7, 8-14, 15-21, 22-31 May. The number of sources is the
smallest that fills --size-mb within the period (or --sources), and writing stops at the first 3-s tick at which
the size is reached, so the data ends near the end of the period and the total is within a row per source of the
request. A small fraction of rows (--invalid-fraction) carries exactly one defect each, by reason in the job's
terms (missing_time, bad_time, missing_location, bad_number, <measure>_out_of_range); another small fraction
(--null-fraction) misses one measure, which is valid (the table allows NULL measures). manifest.json counts both.

Deterministic: the same arguments (seed, size, ...) give byte-identical files on any Python 3. Pure Python (numpy
is not in the Spark image), about 60-80 MB/s on one core: values come from a smooth weather model evaluated once
per source per minute; per row only a 64-bit random draw, table look-ups and one f-string.

    python3 jobs/generate_dataset.py --output /data/weather --size-mb 1000 [--seed 1]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import sys
import time

HEADER = "id,observed_at,source,location,temperature_c,pm10_ugm3,pm25_ugm3,ozone_ppm\n"
CADENCE_S = 3
TICKS_PER_MINUTE = 60 // CADENCE_S
SYNTHETIC_PREFIX = "synthetic:"  # as the crawler's load mode marks made-up rows

# Defects, named as the job's drop reasons (jobs/weather_job.py REASONS, without "valid").
DEFECTS = (
    "missing_time",
    "bad_time",
    "missing_location",
    "bad_number",
    "temperature_out_of_range",
    "pm10_out_of_range",
    "pm25_out_of_range",
    "ozone_out_of_range",
)

# The crawler's stations (crawler/src/synthetic/locations.ts): id, name, °C offset, pollution factor.
STATIONS = (
    ("seoul-gangnam", "서울특별시 강남구 역삼동", 0.5, 1.1),
    ("seoul-jongno", "서울특별시 종로구 종로1가", 0.3, 1.15),
    ("seoul-mapo", "서울특별시 마포구 서교동", 0.2, 1.05),
    ("busan-haeundae", "부산광역시 해운대구 우동", 1.8, 0.8),
    ("incheon-yeonsu", "인천광역시 연수구 송도동", -0.2, 1.0),
    ("daegu-jung", "대구광역시 중구 동인동", 1.4, 1.0),
    ("daejeon-yuseong", "대전광역시 유성구 봉명동", 0.4, 0.9),
    ("gwangju-buk", "광주광역시 북구 용봉동", 1.0, 0.85),
    ("ulsan-nam", "울산광역시 남구 삼산동", 1.5, 1.2),
    ("sejong-hansol", "세종특별자치시 한솔동", 0.0, 0.95),
    ("suwon-paldal", "경기도 수원시 팔달구 인계동", 0.1, 1.05),
    ("chuncheon", "강원특별자치도 춘천시 효자동", -1.5, 0.9),
    ("gangneung", "강원특별자치도 강릉시 교동", 0.2, 0.7),
    ("cheongju", "충청북도 청주시 상당구 용암동", 0.0, 1.1),
    ("jeonju", "전북특별자치도 전주시 완산구 효자동", 0.8, 1.0),
    ("mokpo", "전라남도 목포시 상동", 1.6, 0.75),
    ("andong", "경상북도 안동시 옥동", -0.3, 0.8),
    ("pohang", "경상북도 포항시 남구 대잠동", 1.3, 1.15),
    ("changwon", "경상남도 창원시 성산구 상남동", 1.5, 0.95),
    ("jeju", "제주특별자치도 제주시 이도이동", 3.0, 0.6),
)

# Printed values, indexed by integer units: temperature in 0.1 °C (offset so -70.0 °C is index 0), PM in µg/m3,
# ozone in 0.001 ppm. The table's DECIMAL scales: (5,2), (7,2), (6,4).
T_OFFSET = 700
T_TEXT = tuple(f"{(i - T_OFFSET) / 10:.2f}" for i in range(2 * T_OFFSET + 1))
PM_TEXT = tuple(f"{i}.00" for i in range(2101))
O3_TEXT = tuple(f"{i / 1000:.4f}" for i in range(1101))
# Reading-to-reading jitter (a page's value moves by a unit now and then), indexed by 2 random bits.
JITTER = (-1, 0, 0, 1)
# Times of day of the 3-s ticks.
TIME_OF_DAY = tuple(f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(0, 86400, CADENCE_S))


def fnv1a(text: str) -> int:
    h = 0x811C9DC5
    for ch in text:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def _lattice(seed: int, i: int) -> float:
    h = (seed ^ ((i * 0x9E3779B1) & 0xFFFFFFFF)) & 0xFFFFFFFF
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & 0xFFFFFFFF
    h ^= h >> 16
    return h / 4294967296.0


def _smooth(seed: int, x: float) -> float:
    """Value noise in [0, 1): random at integers, smoothly interpolated between them."""
    i = math.floor(x)
    f = x - i
    t = f * f * (3 - 2 * f)
    return _lattice(seed, i) * (1 - t) + _lattice(seed, i + 1) * t


class Station:
    """One source: its printed prefix and a weather model like the crawler's (seasonal and daily cycles, fronts,
    dust episodes, rush hours, afternoon ozone), with seeds mixed with the dataset's seed."""

    def __init__(self, index: int, seed: int):
        base_id, name, self.t_offset, self.pollution = STATIONS[index % len(STATIONS)]
        copy = index // len(STATIONS)
        self.id = base_id if copy == 0 else f"{base_id}-{copy + 1}"
        self.location = name if copy == 0 else f"{name} #{copy + 1}"
        self.source = SYNTHETIC_PREFIX + self.id
        self.prefix = f"{self.source},{self.location}"
        self.extra_bytes = len(self.prefix.encode()) - len(self.prefix)  # the rest of a row is ASCII
        s = (fnv1a(self.id) ^ (seed * 0x9E3779B1)) & 0xFFFFFFFF
        self.seeds = (s, s ^ 0x5BD1E995, s ^ 0x27D4EB2D, s ^ 0x165667B1)

    def readings(self, hours: float) -> tuple[int, int, int, int]:
        """Temperature (0.1 °C), PM10, PM2.5 (µg/m3) and ozone (0.001 ppm) at `hours` since the epoch (UTC)."""
        s_front, s_dust, s_fine, s_ozone = self.seeds
        local_hour = (hours + 9) % 24  # Korea, KST
        day_of_year = (hours / 24) % 365.2425
        seasonal = 12.5 - 14 * math.cos(2 * math.pi * (day_of_year - 15) / 365.2425)
        daily = 5 * math.sin(2 * math.pi * (local_hour - 9) / 24)
        front = 6 * (_smooth(s_front, hours / 30) - 0.5)
        t = round((seasonal + self.t_offset + daily + front) * 10)
        dust = math.exp(2.2 * (_smooth(s_dust, hours / 20) - 0.5))
        rush = 1 + 0.15 * math.sin(2 * math.pi * (local_hour - 5) / 12)
        pm10 = max(3, round(38 * self.pollution * dust * rush))
        pm25 = max(2, round(pm10 * (0.4 + 0.2 * _smooth(s_fine, hours / 8))))
        sun = max(0.0, math.sin(2 * math.pi * (local_hour - 8) / 24))
        o3 = round(1000 * (0.008 + 0.045 * sun * (0.6 + 0.8 * _smooth(s_ozone, hours / 10))))
        return (min(max(t, -590), 590), min(pm10, 1999), min(pm25, 999), min(max(o3, 2), 998))


def days_in_month(day: dt.date) -> int:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (nxt - day.replace(day=1)).days


def part_layout(days: int, part_days: int) -> list[tuple[int, int]]:
    """[(first day index, end day index)) of each part: whole parts of part_days, the last taking the rest."""
    count = max(1, days // part_days)
    return [(k * part_days, days if k == count - 1 else (k + 1) * part_days) for k in range(count)]


def estimate_row_bytes(stations: list[Station], approx_rows: int) -> float:
    digits = len(str(max(1, approx_rows)))
    # id, observed_at, prefix, "23.40", "34.00", "18.00", "0.0310", 7 commas and a newline
    return sum(len(s.prefix.encode()) for s in stations) / len(stations) + digits + 19 + 5 + 5 + 5 + 6 + 8


def choose_sources(target_bytes: int, days: int, seed: int) -> int:
    ticks = days * 86400 // CADENCE_S
    n = 1
    while True:
        stations = [Station(i, seed) for i in range(n)]
        capacity = estimate_row_bytes(stations, n * ticks) * ticks * n
        if capacity * 0.98 >= target_bytes:  # 2% headroom: the data ends within the period's last days
            return n
        n = max(n + 1, math.ceil(n * target_bytes / (capacity * 0.98)))


def generate(out_dir: str, size_mb: float, seed: int, start: dt.date, days: int, part_days: int,
             sources: int | None, invalid_fraction: float, null_fraction: float) -> dict:
    target = int(size_mb * 1_000_000)
    if sources is None:
        sources = choose_sources(target, days, seed)
    stations = [Station(i, seed) for i in range(sources)]
    rng = random.Random(seed)
    draw = rng.getrandbits
    # The top 24 bits of a row's draw decide rare rows: below invalid_cut a defect, below special_cut a missing measure.
    invalid_cut = round(invalid_fraction * (1 << 24))
    special_cut = invalid_cut + round(null_fraction * (1 << 24))

    os.makedirs(out_dir, exist_ok=True)
    parts = part_layout(days, part_days)
    epoch_hours0 = (dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc).timestamp()) / 3600
    invalid_by_reason = {d: 0 for d in DEFECTS}
    nulls = 0
    files = []
    row_id = 0
    total = 0
    done = False
    for k, (day_from, day_to) in enumerate(parts):
        name = f"weather_{k + 1}.csv"
        path = os.path.join(out_dir, name)
        sha = hashlib.sha256()
        head = HEADER.encode()
        part_bytes = len(head)
        part_rows = 0
        first_id = row_id + 1
        first_time = last_time = None
        with open(path, "wb") as f:
            f.write(head)
            sha.update(head)
            total += len(head)
            for day in range(day_from, day_to):
                date_text = (start + dt.timedelta(days=day)).isoformat() + " "
                for minute in range(1440):
                    hours = epoch_hours0 + day * 24 + minute / 60
                    bases = [(s.prefix, s.extra_bytes) + s.readings(hours) for s in stations]
                    lines = []
                    add = lines.append
                    for tick in range(minute * TICKS_PER_MINUTE, (minute + 1) * TICKS_PER_MINUTE):
                        ts = date_text + TIME_OF_DAY[tick]
                        for prefix, extra, t, p10, p25, o3 in bases:
                            r = draw(64)
                            row_id += 1
                            if r >> 40 >= special_cut:
                                line = (f"{row_id},{ts},{prefix},{T_TEXT[t + T_OFFSET + JITTER[r & 3]]},"
                                        f"{PM_TEXT[p10 + JITTER[r >> 2 & 3]]},{PM_TEXT[p25 + JITTER[r >> 4 & 3]]},"
                                        f"{O3_TEXT[o3 + JITTER[r >> 6 & 3]]}\n")
                                total += len(line) + extra
                            else:  # rare: a defect or a missing measure
                                fields = [str(row_id), ts, prefix, T_TEXT[t + T_OFFSET], PM_TEXT[p10], PM_TEXT[p25],
                                          O3_TEXT[o3]]
                                if r >> 40 < invalid_cut:
                                    defect = DEFECTS[(r >> 8) % len(DEFECTS)]
                                    invalid_by_reason[defect] += 1
                                    _spoil(fields, defect, r >> 16)
                                else:
                                    nulls += 1
                                    fields[3 + (r >> 8) % 4] = ""
                                line = ",".join(fields) + "\n"
                                total += len(line.encode())
                            add(line)
                        part_rows += len(bases)
                        if total >= target:
                            done = True
                            break
                    data = "".join(lines).encode()
                    f.write(data)
                    sha.update(data)
                    part_bytes += len(data)
                    if first_time is None:
                        first_time = date_text + TIME_OF_DAY[minute * TICKS_PER_MINUTE]
                    last_time = ts
                    if done:
                        break
                if done:
                    break
        files.append({"name": name, "rows": part_rows, "bytes": part_bytes, "sha256": sha.hexdigest(),
                      "first_id": first_id if part_rows else None, "last_id": row_id if part_rows else None,
                      "first_observed_at": first_time, "last_observed_at": last_time,
                      "period": [(start + dt.timedelta(days=day_from)).isoformat(),
                                 (start + dt.timedelta(days=day_to - 1)).isoformat()]})
        if done:
            break
    actual = sum(f["bytes"] for f in files)
    if actual != total:
        raise AssertionError(f"byte count drifted: counted {total}, wrote {actual}")
    if not done:
        raise SystemExit(f"generate_dataset: the period ({days} days from {start}) ended at {actual} bytes, before "
                         f"{target}: use more --sources (or leave it out) or more --days")
    manifest = {
        "generator": "jobs/generate_dataset.py",
        "seed": seed,
        "size_mb": size_mb,
        "target_bytes": target,
        "bytes": actual,
        "rows": row_id,
        "columns": HEADER.strip().split(","),
        "cadence_s": CADENCE_S,
        "sources": [s.source for s in stations],
        "locations": [s.location for s in stations],
        "start": start.isoformat(),
        "days": days,
        "part_days": part_days,
        "invalid_fraction": invalid_fraction,
        "null_fraction": null_fraction,
        "invalid_rows": sum(invalid_by_reason.values()),
        "invalid_by_reason": invalid_by_reason,
        "rows_with_missing_measure": nulls,
        "files": files,
    }
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return manifest


def _spoil(fields: list[str], defect: str, bits: int) -> None:
    """Gives a row exactly one defect (fields: id, observed_at, prefix, temperature, pm10, pm25, ozone)."""
    high = bits & 1
    if defect == "missing_time":
        fields[1] = ""
    elif defect == "bad_time":
        fields[1] = fields[1][:11] + ("25" if high else "99") + fields[1][13:]  # hour 25 or 99
    elif defect == "missing_location":
        fields[2] = fields[2].split(",", 1)[0] + ","
    elif defect == "bad_number":
        fields[3 + (bits >> 1) % 4] = ("n/a", "-", "ERR", "점검중")[(bits >> 3) % 4]
    elif defect == "temperature_out_of_range":
        fields[3] = "85.30" if high else "-99.90"
    elif defect == "pm10_out_of_range":
        fields[4] = "2500.00" if high else "-3.00"
    elif defect == "pm25_out_of_range":
        fields[5] = "1200.00" if high else "-1.00"
    elif defect == "ozone_out_of_range":
        fields[6] = "1.5000" if high else "-0.0100"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--output", required=True, help="directory for weather_N.csv and manifest.json")
    p.add_argument("--size-mb", type=float, required=True, help="total size in MB (10^6 bytes), headers included")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2021, 5, 1),
                   help="first day (UTC), default 2021-05-01 as in the paper")
    p.add_argument("--days", type=int, help="length of the period, default: to the end of the start's month")
    p.add_argument("--part-days", type=int, default=7, help="days per part (the last part takes the rest)")
    p.add_argument("--sources", type=int, help="number of sources; default: the fewest that fill the size")
    p.add_argument("--invalid-fraction", type=float, default=0.001, help="rows with one defect (default 0.001)")
    p.add_argument("--null-fraction", type=float, default=0.0005,
                   help="valid rows missing one measure (default 0.0005)")
    a = p.parse_args(argv)
    days = a.days or days_in_month(a.start) - a.start.day + 1
    problems = []
    if a.size_mb <= 0:
        problems.append("--size-mb must be > 0")
    if days < 1 or a.part_days < 1:
        problems.append("--days and --part-days must be >= 1")
    if a.sources is not None and not 1 <= a.sources <= 100_000:
        problems.append("--sources must be 1..100000")
    if not (0 <= a.invalid_fraction and 0 <= a.null_fraction and a.invalid_fraction + a.null_fraction <= 0.5):
        problems.append("--invalid-fraction and --null-fraction must be >= 0 and add up to at most 0.5")
    if problems:
        p.error("; ".join(problems))
    t0 = time.perf_counter()
    m = generate(a.output, a.size_mb, a.seed, a.start, days, a.part_days, a.sources, a.invalid_fraction,
                 a.null_fraction)
    secs = time.perf_counter() - t0
    print(f"generate_dataset: {m['rows']} rows, {m['bytes']} bytes in {len(m['files'])} files, "
          f"{len(m['sources'])} sources, {secs:.1f} s ({m['bytes'] / 1e6 / max(secs, 1e-9):.1f} MB/s)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
