#!/usr/bin/env python3
"""WAL pages per group commit of MQTT observations, per table and index (docs/benchmarks.md, sta-mqtt-store).

Replays what SqliteSensorStore.Append and SqliteAuditLog.Append write for one group commit of the mqtt-ingest
benchmark's load (60 Datastreams, each with its own derived FeatureOfInterest; 1,000 clients; one observation per
client per turn): the rows, the observation counter, the latest value, the hour and day rollups, the Datastreams'
time spans, sta_changes and one audit record per Datastream. The schema is read from Schema.cs, so it is the
store's own. After SEED observations in groups of GROUP, it commits GROUPS more with automatic checkpoints off,
then reads the WAL: every frame names the page it wrote, and SQLite's dbstat table names the b-tree of each page.
It counts pages, not CPU: Python's own per-row cost would swamp SQLite's.

Usage: python3 bench/wal-pages.py GROUP [SEED] [GROUPS] [--without-foi-index]
"""
import collections
import hashlib
import os
import re
import shutil
import sqlite3
import struct
import sys
import tempfile

args = [a for a in sys.argv[1:] if not a.startswith("--")]
group_size = int(args[0]) if args else 1000
seed = int(args[1]) if len(args) > 1 else 300_000
groups = int(args[2]) if len(args) > 2 else 40
without_foi_index = "--without-foi-index" in sys.argv

schema_cs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "Tweeling.Storage", "Sqlite", "Schema.cs")
schema = "".join(re.findall(r'"""\n(.*?)"""', open(schema_cs, encoding="utf-8").read(), re.S))
DATASTREAMS, CLIENTS = 60, 1000
T0 = 1_767_225_600_000  # 2026-01-01T00:00Z in Unix ms, as the benchmark's first phenomenonTime
COLUMNS = "id, datastream_id, feature_of_interest_id, phenomenon_start, phenomenon_end, result_time, result, result_json, result_quality, valid_start, valid_end, parameters"

work = tempfile.mkdtemp(prefix="wal-pages-")
path = os.path.join(work, "store.db")
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.executescript(schema)
if without_foi_index:
    db.execute("DROP INDEX sta_observations_by_feature_of_interest")
db.execute("BEGIN")
for i in range(DATASTREAMS):
    db.execute("INSERT INTO sta_things (name, description) VALUES (?, 'bench')", (f"bench-{i}",))
    db.execute("INSERT INTO sta_features_of_interest (name, description, encoding_type, feature) VALUES ('here', 'here', 'application/geo+json', x'00')")
    db.execute("INSERT INTO sta_datastreams (name, description, unit_name, unit_symbol, unit_definition, observation_type, thing_id, sensor_id, observed_property_id) "
               "VALUES (?, 'bench', 'µg/m3', 'µg/m3', 'urn:ucum:ug/m3', 'OM_Measurement', ?, 1, 1)", (f"bench-{i}", i + 1))
db.execute("COMMIT")

sequence = [0] * CLIENTS
next_client = 0
audit = [0, "genesis"]


def next_group():
    """The next GROUP clients in turn, one observation each: client c writes to Datastream c mod 60, at T0 + its count in ms."""
    global next_client
    rows = []
    for _ in range(group_size):
        client = next_client
        next_client = (next_client + 1) % CLIENTS
        datastream = client % DATASTREAMS + 1
        rows.append((datastream, T0 + sequence[client], datastream, sequence[client] % 1000 / 10.0))
        sequence[client] += 1
    return rows


def commit(observations):
    db.execute("BEGIN IMMEDIATE")
    row = db.execute("SELECT last FROM sta_counters WHERE name = 'observation'").fetchone()
    last = row[0] if row else 0
    rows, latest, spans = [], {}, {}
    rollups = collections.defaultdict(lambda: [0, 0.0, float("inf"), float("-inf")])
    for datastream, start, feature, result in observations:
        last += 1
        rows.append((last, datastream, feature, start, None, None, result, None, None, None, None, None))
        latest[datastream] = rows[-1]
        for granularity, size in ((0, 3_600_000), (1, 86_400_000)):
            bucket = rollups[(datastream, granularity, start - start % size)]
            bucket[0] += 1
            bucket[1] += result
            bucket[2] = min(bucket[2], result)
            bucket[3] = max(bucket[3], result)
        span = spans.get(datastream)
        spans[datastream] = (min(span[0], start), max(span[1], start)) if span else (start, start)
    db.executemany(f"INSERT INTO sta_observations ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.execute("INSERT INTO sta_counters (name, last) VALUES ('observation', ?) ON CONFLICT (name) DO UPDATE SET last = excluded.last", (last,))
    db.executemany(
        f"INSERT INTO sta_latest ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (datastream_id) DO UPDATE SET "
        "id = excluded.id, feature_of_interest_id = excluded.feature_of_interest_id, phenomenon_start = excluded.phenomenon_start, result = excluded.result "
        "WHERE excluded.phenomenon_start > sta_latest.phenomenon_start OR (excluded.phenomenon_start = sta_latest.phenomenon_start AND excluded.id > sta_latest.id)",
        list(latest.values()))
    db.executemany(
        "INSERT INTO sta_rollups (datastream_id, granularity, bucket_start, count, sum, min, max) VALUES (?,?,?,?,?,?,?) "
        "ON CONFLICT (datastream_id, granularity, bucket_start) DO UPDATE SET count = count + excluded.count, sum = sum + excluded.sum, "
        "min = min(min, excluded.min), max = max(max, excluded.max)",
        [(*key, *bucket) for key, bucket in rollups.items()])
    db.executemany("UPDATE sta_datastreams SET phenomenon_start = min(coalesce(phenomenon_start, ?2), ?2), phenomenon_end = max(coalesce(phenomenon_end, ?3), ?3) WHERE id = ?1",
                   [(d, s[0], s[1]) for d, s in spans.items()])
    db.executemany("INSERT INTO sta_changes (datastream_id, earliest) VALUES (?, ?)", [(d, s[0]) for d, s in spans.items()])
    db.execute("DELETE FROM sta_changes WHERE seq <= (SELECT max(seq) FROM sta_changes) - 4096")
    records = []
    for datastream in spans:
        audit[0] += 1
        audit[1] = hashlib.sha256(f"{audit[1]}{audit[0]}".encode()).hexdigest()
        records.append((audit[0], T0, "pseudonymous-subject", "medewerker", None, "create",
                        f"MQTT PUBLISH v1.1/Datastreams({datastream})/Observations -> Datastreams({datastream})", 16, "observations", "success", audit[1]))
    db.executemany("INSERT INTO audit_log (seq, time, subject, role, purpose, action, resource, result_size, result_unit, outcome, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", records)
    db.execute("COMMIT")


written = 0
while written < seed:
    commit(next_group())
    written += group_size
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.execute("PRAGMA wal_autocheckpoint = 0")
for _ in range(groups):
    commit(next_group())

owner = {page: name for name, page in db.execute("SELECT name, pageno FROM dbstat")}
wal = open(path + "-wal", "rb").read()
page_size = struct.unpack(">I", wal[8:12])[0]
per_tree, pages, commits = collections.Counter(), [], 0
offset = 32
while offset + 24 <= len(wal):
    page, size_after_commit = struct.unpack(">II", wal[offset:offset + 8])
    per_tree[owner.get(page, "(freed)")] += 1
    pages.append(page)
    commits += size_after_commit != 0
    offset += 24 + page_size
observations = groups * group_size
print(f"group {group_size}, after {seed:,} observations{' (no FeatureOfInterest index)' if without_foi_index else ''}: "
      f"{len(pages) / commits:.1f} WAL pages per commit, {len(pages) * page_size / observations:,.0f} bytes per observation")
for name, count in per_tree.most_common():
    print(f"  {name:44s} {count / commits:7.1f} pages per commit {count * page_size / observations:7,.0f} bytes per observation")
for window in (1000, 10000):
    chunks = [pages[i:i + window] for i in range(0, len(pages) - window + 1, window)]
    if chunks:
        distinct = sum(len(set(chunk)) for chunk in chunks)
        print(f"a checkpoint every {window:,} frames copies {distinct / len(chunks):,.0f} distinct pages ({distinct / (len(chunks) * window):.2f} of the frames)")
db.close()
shutil.rmtree(work)
