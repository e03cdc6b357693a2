"""Write benchmarks/data/dedup_clusters.jsonl: report clusters (one event each) with realistic outlet variation."""
import json, random
rng = random.Random(20260325)
places = [  # name, country, admin1, admin2, lat, lon
    ("Makhmour", "Iraq", "Erbil", "Makhmour", 35.7751, 43.5806), ("Kirkuk", "Iraq", "Kirkuk", "Kirkuk", 35.4681, 44.3922),
    ("Daquq", "Iraq", "Kirkuk", "Daquq", 35.1400, 44.4500), ("Tal Afar", "Iraq", "Nineveh", "Tal Afar", 36.3791, 42.4481),
    ("Ash Shaddadah", "Syria", "Al-Hasakah", "Al-Shaddadah", 36.0576, 40.7348), ("Al Mayadin", "Syria", "Deir ez-Zor", "Al-Mayadin", 35.0198, 40.4515),
    ("Mogadishu", "Somalia", "Banaadir", "", 2.0371, 45.3438), ("Marte", "Nigeria", "Borno", "Marte", 12.3653, 13.8293),
    ("Ansongo", "Mali", "Gao", "Ansongo", 15.6597, 0.5022), ("Sake", "Democratic Republic of Congo", "Nord Kivu", "Masisi", -1.5739, 29.0434),
    ("Quetta", "Pakistan", "Balochistan", "Quetta", 30.1841, 67.0014), ("El Fasher", "Sudan", "North Darfur", "El Fasher", 13.6279, 25.3494),
]
kinds = [  # event_type, sub_event_type, actor1, actor2
    ("Battles", "Armed clash", "Islamic State", "Military Forces of {c}"),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Unidentified Armed Group ({c})", "Civilians ({c})"),
    ("Explosions/Remote violence", "Suicide bomb", "Islamic State", "Civilians ({c})"),
    ("Violence against civilians", "Attack", "Unidentified Armed Group ({c})", "Civilians ({c})"),
    ("Violence against civilians", "Abduction/forced disappearance", "Unidentified Armed Group ({c})", "Civilians ({c})"),
    ("Protests", "Peaceful protest", "Protesters ({c})", ""),
    ("Riots", "Violent demonstration", "Rioters ({c})", "Police Forces of {c}"),
    ("Strategic developments", "Arrests", "Police Forces of {c}", "Civilians ({c})"),
    ("Explosions/Remote violence", "Air/drone strike", "Military Forces of Turkey", "Kurdistan Workers Party"),
]
outlets = ["Kurdistan 24", "Rudaw", "Shafaq News", "AFP", "Reuters", "Jazira Post", "Khabur Network", "Horn Dispatch",
           "Premium Times", "Sahel Monitor", "Radio Okapi", "Dawn", "Sudan Tribune", "Xinhua"]
import datetime as dt
def row(cid, i, kind, place, day, fatal):
    et, sub, a1, a2 = kind
    name, country, admin1, admin2, lat, lon = place
    c = country
    return {"article_id": f"{cid}-r{i}", "event_id_cnty": f"{cid}-r{i}", "event_type": et, "sub_event_type": sub,
            "event_date": day.isoformat(), "time_precision": 1, "actor1": a1.format(c=c), "actor2": a2.format(c=c),
            "country": country, "admin1": admin1, "admin2": admin2, "location": name, "latitude": lat,
            "longitude": lon, "geo_precision": 1, "fatalities": fatal, "source": rng.choice(outlets),
            "source_scale": "", "published": (day + dt.timedelta(days=1)).isoformat(),
            "evidence": [{"field": "event_date", "sentence_start": 0}]}
out = []
cid = 0
base = dt.date(2026, 3, 1)
events = []
used = {}
n = 0
while len(events) < 60:
    kind = kinds[n % len(kinds)]
    place = places[(n * 5) % len(places)]
    day = base + dt.timedelta(days=(n * 7) % 25)
    n += 1
    # Two events of one kind in one place are at least 3 days apart (else no reader could tell them apart).
    if any(abs((day - d).days) < 3 for d in used.get((kind[1], place[0]), [])):
        continue
    used.setdefault((kind[1], place[0]), []).append(day)
    events.append((kind, place, day))
# hard negatives: same place and day as an earlier event, another kind; or same kind, other named actors
for n in range(12):
    kind, place, day = events[n]
    other = kinds[(n + 3) % len(kinds)]
    if other[0] == kind[0]:
        other = kinds[(n + 4) % len(kinds)]
    events.append((other, place, day))
events.append((("Battles", "Armed clash", "Syrian Democratic Forces", "Military Forces of Turkey"), places[4], events[4 * 0][2]))
for kind, place, day in events:
    cid += 1
    name = f"c{cid:03d}"
    n_reports = rng.choice([1, 2, 2, 3, 3, 4, 5])
    fatal = rng.choice([None, 0, 1, 2, 3, 5, 8, 12])
    for i in range(n_reports):
        r = row(name, i, kind, place, day, fatal)
        v = rng.random()
        if i and v < 0.2:  # vague report: date inferred from publication, a day off
            r["event_date"] = (day + dt.timedelta(days=1)).isoformat()  # the publication date
            r["evidence"] = []
        elif i and v < 0.35:  # "near the town": precision 2, a few km off
            r["latitude"] += rng.uniform(-0.08, 0.08); r["longitude"] += rng.uniform(-0.08, 0.08)
            r["geo_precision"] = 2; r["location"] = "near " + r["location"]
        elif i and v < 0.5 and "Unidentified" not in r["actor1"] and "Protesters" not in r["actor1"]:
            r["actor1"] = f"Unidentified Armed Group ({place[1]})"  # an outlet that does not name the group
        elif i and v < 0.6:
            r["actor1"], r["actor2"] = r["actor2"], r["actor1"]  # the other side first
        elif i and v < 0.7 and kind[1] == "Armed clash":
            r["event_type"], r["sub_event_type"] = "Violence against civilians", "Attack"
        if fatal is not None and rng.random() < 0.4:
            r["fatalities"] = fatal + rng.choice([0, 1, 2])
        out.append({"cluster": name, "row": r})
with open("benchmarks/data/dedup_clusters.jsonl", "w") as fh:
    for item in out:
        fh.write(json.dumps(item) + "\n")
print(len(out), cid)
