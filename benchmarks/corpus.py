"""A generated corpus of news-like articles for benchmarks and scale tests.

Everything here is written from our own templates and vocabulary (no copied
news). Two sets:

- ``mixed``: 1,000 articles, 80% not about conflict (markets, sport, weather,
  technology, health, culture, transport, farming, local politics) and 20%
  conflict reports; ordinary news still uses words such as "launch",
  "control", "security" or "record", as real news does.
- ``conflict``: every article reports political violence, protests or
  strategic developments, with background and quote sentences around them.

Generation is deterministic (seeded), so every run and every machine sees
the same texts.

    python benchmarks/corpus.py mixed -n 1000 > out/mixed.jsonl
    python benchmarks/corpus.py conflict -n 300 > out/conflict.jsonl
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator

# --- vocabulary -----------------------------------------------------------------

PLACES = {  # country -> (towns, region)
    "Iraq": (["Kirkuk", "Mosul", "Tikrit", "Baqubah", "Ramadi", "Samarra", "Erbil"], "Nineveh"),
    "Syria": (["Raqqa", "Deir ez-Zor", "Qamishli", "Hasakah", "Manbij", "Idlib"], "Aleppo"),
    "Nigeria": (["Maiduguri", "Damboa", "Kaduna", "Monguno", "Bama", "Zaria"], "Borno"),
    "Somalia": (["Mogadishu", "Baidoa", "Kismayo", "Beledweyne", "Afgooye"], "Lower Shabelle"),
    "Mali": (["Gao", "Timbuktu", "Mopti", "Menaka", "Sevare"], "Mopti"),
    "Sudan": (["El Fasher", "Nyala", "Omdurman", "El Obeid", "Kassala"], "North Darfur"),
    "Kenya": (["Nairobi", "Mombasa", "Kisumu", "Nakuru", "Eldoret"], "Nakuru"),
    "France": (["Lyon", "Marseille", "Toulouse", "Nantes", "Lille"], "Brittany"),
    "Brazil": (["Recife", "Curitiba", "Manaus", "Fortaleza", "Belem"], "Bahia"),
    "India": (["Pune", "Jaipur", "Lucknow", "Nagpur", "Indore"], "Gujarat"),
}
ARMED = {
    "Iraq": (["Iraqi army troops", "Iraqi police", "Peshmerga fighters"], ["Islamic State militants", "ISIS fighters"]),
    "Syria": (["Syrian army troops", "SDF fighters"], ["Islamic State militants", "HTS fighters"]),
    "Nigeria": (["Nigerian troops", "Nigerian police"], ["Boko Haram fighters", "ISWAP militants"]),
    "Somalia": (["Somali army soldiers", "Somali police"], ["al-Shabaab militants", "al-Shabaab fighters"]),
    "Mali": (["Malian soldiers", "Malian army troops"], ["JNIM fighters", "jihadist militants"]),
    "Sudan": (["Sudanese army soldiers", "SAF troops"], ["RSF fighters", "Rapid Support Forces"]),
}
PUBLISHERS = ["Tigris Wire", "Sahel Daily", "Horn Observer", "Continental Post", "Evening Ledger",
              "Harbour Times", "Meridian News", "Plains Gazette"]
FIRST = ["Amina", "Daniel", "Layla", "Omar", "Grace", "Yusuf", "Claire", "Tomas", "Nadia", "Samuel",
         "Fatima", "Peter", "Hana", "Musa", "Irene", "Karim"]
LAST = ["Okafor", "Haddad", "Mensah", "Duval", "Rahimi", "Silva", "Bauer", "Adeyemi", "Farah",
        "Kovacs", "Nasser", "Ortega", "Lindqvist", "Abubakar"]
COMPANIES = ["Brightwater Foods", "Kestrel Motors", "Northgate Bank", "Orbis Telecom", "Sunfield Energy",
             "Larkspur Pharma", "Tidewell Shipping", "Copperline Mining", "Vantage Textiles", "Halcyon Air"]
TEAMS = ["River United", "Eastside Rovers", "Capital City", "Harbour Athletic", "Highland Stars",
         "Coastal Wanderers", "Lakeside FC", "Northern Lions"]
PRODUCTS = ["smartphone", "electric van", "payment app", "solar panel", "vaccine", "cloud service",
            "tractor", "satellite"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "10", "12", "15", "21"]

# --- non-conflict templates ---------------------------------------------------------
# {town} {country} {region} {person} {company} {company2} {team} {team2} {product}
# {day} {pct} {num} {money} {year} {title}

OTHER_TOPICS: dict[str, list[str]] = {
    "markets": [
        "Shares in {company} rose {pct} percent on {day} after the firm reported higher quarterly profits.",
        "The central bank left its benchmark interest rate unchanged, saying inflation was now under control.",
        "Analysts had expected a smaller increase in exports, which reached {money} in the last quarter.",
        "{company} said it would open a new factory near {town} next year, creating about {d}00 jobs.",
        "The currency gained against the dollar for a third straight session.",
        "Investors welcomed the figures but warned that energy prices remained high.",
        "\"We are cautiously optimistic about the second half of the year,\" said {person}, the chief economist at {company2}.",
        "The finance ministry expects growth of {pct} percent in {year}, up from an earlier forecast.",
        "Retail sales in {region} grew faster than in any other region, according to the statistics office.",
        "The company also signed a supply agreement with {company2} worth {money}.",
        "Trading volumes on the exchange were lower than usual ahead of the holiday.",
        "Bond yields fell slightly as traders bet on a cut in borrowing costs later in the year.",
    ],
    "sport": [
        "{team} beat {team2} 3-1 on {day} to move to the top of the league table.",
        "{person} scored twice in the second half, taking her tally for the season to {num}.",
        "The coach praised his side's defence and said the squad was in good shape for the cup final.",
        "A crowd of more than {d},000 watched the match at the newly renovated stadium in {town}.",
        "{team2} had taken an early lead through a header from a corner kick.",
        "The club confirmed that its captain would miss the next {num} games with a knee injury.",
        "Ticket sales for the tournament have already broken last year's record.",
        "\"The players showed great character after half-time,\" {person} told reporters.",
        "The national athletics championships will be held in {town} in {month}.",
        "She finished the marathon in two hours and {num} minutes, a personal best.",
        "Organisers said the race would go ahead despite the forecast of heavy rain.",
        "The league plans to launch a women's competition with eight teams next season.",
    ],
    "weather": [
        "Heavy rain is expected across {region} until {day}, the national weather service said.",
        "Temperatures in {town} reached {d}3 degrees Celsius, close to the record for the month.",
        "Farmers welcomed the showers after weeks of dry weather had delayed planting.",
        "The weather service advised residents to drink plenty of water during the heatwave.",
        "Forecasters said cooler air would arrive from the north at the weekend.",
        "Some schools in {region} shortened the school day because of the heat.",
        "River levels near {town} rose but remained below flood warning levels.",
        "The dry season has been unusually long this year, officials said.",
        "Wind speeds of up to {d}0 kilometres per hour are forecast along the coast.",
        "Airports in the region reported minor delays on {day} morning because of fog.",
    ],
    "technology": [
        "{company} unveiled a new {product} on {day}, promising longer battery life and a lower price.",
        "The launch event in {town} drew developers from across {country}.",
        "The company said the {product} would go on sale in {month}.",
        "Regulators are reviewing rules on data protection for mobile apps.",
        "\"Our engineers have spent three years on this design,\" said {person}, head of products at {company}.",
        "A survey found that {pct} percent of households in {region} now have a broadband connection.",
        "The start-up raised {money} from investors to expand its payment service.",
        "Network operators plan to switch off older mobile networks by {year}.",
        "The university opened a research centre for artificial intelligence and robotics.",
        "Cyber security experts urged users to update their software.",
        "The firm expects to ship more than a million units in the first year.",
    ],
    "health": [
        "The health ministry launched a vaccination campaign for children under five in {region}.",
        "Doctors at the main hospital in {town} said waiting times had fallen by a third.",
        "A new clinic for mothers and newborns opened in {town} on {day}.",
        "Officials said {d}00 nurses would be trained under the programme this year.",
        "The study, published in a medical journal, followed {d},000 adults for a decade.",
        "\"Prevention is cheaper than treatment,\" said {person}, a public health specialist.",
        "Pharmacies reported strong demand for flu medicine during the cold spell.",
        "The government plans to build {num} new health centres in rural areas.",
        "Health workers visited schools to check the eyesight of pupils.",
        "The number of malaria cases fell for the fourth year in a row, the report said.",
    ],
    "culture": [
        "The film festival in {town} opened on {day} with a drama about a family of fishermen.",
        "The museum will display {d}0 paintings that have never been shown in public.",
        "{person}, whose debut novel won a national prize, is working on a second book.",
        "Tickets for the concert sold out within an hour.",
        "The city council approved funding to restore the old theatre.",
        "Visitors queued for hours to see the exhibition of ancient pottery.",
        "The orchestra will tour {num} cities across {country} in the autumn.",
        "Critics praised the production for its costumes and its music.",
        "The festival has grown from a small street fair into a week-long event.",
        "A documentary about the region's weaving traditions will be broadcast on {day}.",
    ],
    "transport": [
        "The new rail line between {town} and the airport will open in {month}, the transport ministry said.",
        "Commuters faced delays on {day} after a signal fault near the central station.",
        "The airline {company} added {num} weekly flights to its summer schedule.",
        "Work on the ring road around {town} is {pct} percent complete.",
        "The port handled a record number of containers last year.",
        "Bus fares will rise by {pct} percent from next month.",
        "The ministry said the bridge would be closed to heavy trucks for repairs.",
        "\"Passengers will save almost an hour on every trip,\" said {person}, the project director.",
        "Engineers are testing electric buses on two routes in the city centre.",
        "Fuel prices at the pump were unchanged this week.",
    ],
    "farming": [
        "Farmers in {region} expect a larger maize harvest after good rains.",
        "The price of wheat fell {pct} percent at the main market in {town}.",
        "The agriculture ministry will distribute improved seeds to {d},000 smallholders.",
        "Cooperatives said the cost of fertiliser had doubled in two years.",
        "A new cold store near {town} will help farmers keep fruit fresh for longer.",
        "\"We need better roads to get our crops to market,\" said {person}, who grows tomatoes.",
        "Cattle prices rose ahead of the holiday season.",
        "The dairy plant will process {d}0,000 litres of milk a day.",
        "Officials launched a programme to plant trees along the river banks.",
        "Exports of coffee reached {money} in the first half of the year.",
    ],
    "politics": [
        "Parliament passed the budget on {day} after a long debate over spending on schools.",
        "The governor of {region} announced plans to improve water supply in {town}.",
        "Voters will elect a new city council in {month}, the electoral commission said.",
        "The minister said the reform would cut the time needed to register a business.",
        "{person}, a member of parliament for {town}, called for more money for roads.",
        "The opposition said it would study the proposal before deciding how to vote.",
        "The president met business leaders to discuss investment in renewable energy.",
        "A committee will review the state pension system and report by {month}.",
        "Local officials said turnout in the by-election was {pct} percent.",
        "The two countries signed a trade deal to lower tariffs on farm goods.",
        "The mayor of {town} opened a new public library on {day}.",
    ],
}

# --- conflict templates ---------------------------------------------------------------
# {state} {rebel} {town} {town2} {region} {country} {day} {num} {num2}

CONFLICT_LEADS: list[str] = [
    "{rebel} attacked an army checkpoint near {town} on {day}, killing {num} soldiers, security sources said.",
    "{state} clashed with {rebel} on the outskirts of {town} late on {day}, leaving {num} fighters dead.",
    "A roadside bomb exploded as a military convoy passed near {town} on {day}, wounding {num} soldiers.",
    "An airstrike hit a compound used by {rebel} near {town} on {day}, the military said.",
    "Gunmen kidnapped {num} passengers from a bus on the road between {town} and {town2} on {day}.",
    "A suicide bomber blew himself up at a market in {town} on {day}, killing {num} people.",
    "Hundreds of people protested in {town} on {day} against rising bread prices.",
    "Police fired tear gas to disperse protesters who had gathered outside the governor's office in {town} on {day}.",
    "{state} arrested {num} suspected members of {rebel} in a raid on a house in {town} on {day}.",
    "{rebel} seized control of {town} on {day} after government forces withdrew.",
    "Mortar shells landed on a residential area of {town} on {day}, killing {num} civilians.",
    "{state} recaptured {town} from {rebel} on {day} after two days of fighting.",
    "Armed men stormed a village near {town} on {day} and shot dead {num} villagers.",
    "A mob beat to death a man accused of theft in {town} on {day}, police said.",
    "Rioters set fire to shops and cars in {town} on {day} after a disputed vote count.",
]
CONFLICT_MIDDLE: list[str] = [
    "A local official said the attackers arrived on motorbikes and fled after the assault.",
    "Medical staff at the hospital in {town2} said they had received {num2} wounded.",
    "The army said its troops had killed {num2} militants in the fighting that followed.",
    "Residents said the gunfire lasted for several hours.",
    "No group has claimed responsibility for the attack.",
    "{rebel} has carried out similar attacks in {region} in recent months.",
    "Security forces later sealed off the area and searched nearby houses.",
    "Witnesses said the explosion was heard across the town.",
    "The protesters chanted slogans and carried banners calling for lower prices.",
    "Police said {num2} demonstrators were detained and later released.",
    "\"We heard shooting and ran to the fields,\" said {person}, a farmer from a nearby village.",
    "The government condemned the violence and promised to bring those responsible to justice.",
    "Humanitarian agencies said hundreds of families had fled to {town2}.",
    "The road between {town} and {town2} was closed for most of the day.",
]
CONFLICT_BACKGROUND: list[str] = [
    "The region has suffered from years of insecurity since the insurgency began in {year0}.",
    "Aid groups say more than a million people in {region} depend on food assistance.",
    "Schools in the district reopened last month after a long closure.",
    "Farmers have been unable to reach their fields for much of the planting season.",
    "The United Nations has called for talks between the government and armed groups.",
    "Prices of fuel and food have risen sharply in {town} this year.",
    "The governor of {region} said more police would be deployed before the holidays.",
    "Mobile phone networks in parts of the area have been unreliable for weeks.",
    "{person}, an analyst at a university in {country}, said the situation remained fragile.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


class _Filler:
    """Fills template slots with values drawn from one seeded random generator."""

    def __init__(self, rng: random.Random, country: str):
        self.rng, self.country = rng, country
        towns, region = PLACES[country]
        self.town, self.town2 = rng.sample(towns, 2)
        self.region = region
        state, rebel = ARMED.get(country, (["police officers"], ["unknown gunmen"]))
        self.state, self.rebel = rng.choice(state), rng.choice(rebel)
        self.team, self.team2 = rng.sample(TEAMS, 2)
        self.company, self.company2 = rng.sample(COMPANIES, 2)

    def fill(self, template: str, published: dt.date) -> str:
        r = self.rng
        day = WEEKDAYS[(published - dt.timedelta(days=r.randint(1, 3))).weekday()]
        values = dict(
            town=self.town, town2=self.town2, region=self.region, country=self.country,
            state=self.state, rebel=self.rebel, team=self.team, team2=self.team2,
            company=self.company, company2=self.company2, product=r.choice(PRODUCTS),
            person=f"{r.choice(FIRST)} {r.choice(LAST)}", day=day, pct=str(r.randint(2, 19)),
            num=r.choice(NUMBERS[:8]), d=str(r.randint(2, 9)), num2=r.choice(NUMBERS), money=f"${r.randint(2, 90)} million",
            year=str(published.year + 1), year0=str(published.year - r.randint(5, 12)),
            month=r.choice(MONTHS),
        )
        text = template.format(**values)
        return text[0].upper() + text[1:]


def _published(rng: random.Random) -> dt.date:
    return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 180))


def _record(n: int, kind: str, country: str, title: str, sentences: list[str],
            published: dt.date, rng: random.Random, filler: _Filler) -> dict:
    publisher = rng.choice(PUBLISHERS)
    dateline = f"{filler.town.upper()} ({publisher}) – "
    paragraphs, para = [], []
    for s in sentences:
        para.append(s)
        if len(para) >= rng.randint(2, 3):
            paragraphs.append(" ".join(para))
            para = []
    if para:
        paragraphs.append(" ".join(para))
    text = dateline + "\n\n".join(paragraphs)
    return {"id": f"{kind}-{n:05d}", "title": title, "text": text, "published": published.isoformat(),
            "publisher": publisher, "url": f"https://news.example/{kind}/{n:05d}", "kind": kind,
            "country": country}


def other_article(n: int, rng: random.Random) -> dict:
    """One article that is not about conflict (a main topic and a second one, 12-18 sentences)."""
    topic = rng.choice(sorted(OTHER_TOPICS))
    country = rng.choice(sorted(PLACES))
    published = _published(rng)
    f = _Filler(rng, country)
    pool = OTHER_TOPICS[topic] + OTHER_TOPICS[rng.choice(sorted(set(OTHER_TOPICS) - {topic}))]
    picked = rng.sample(pool, min(len(pool), rng.randint(12, 18)))
    sentences = [f.fill(t, published) for t in picked]
    title = f"{topic.capitalize()}: " + sentences[0].split(",")[0][:70]
    return _record(n, "other", country, title, sentences, published, rng, f)


def conflict_article(n: int, rng: random.Random) -> dict:
    """One conflict report: a lead, details, background and a quote (12-18 sentences)."""
    country = rng.choice(sorted(ARMED))
    published = _published(rng)
    f = _Filler(rng, country)
    lead = rng.choice(CONFLICT_LEADS)
    body = rng.sample(CONFLICT_MIDDLE, rng.randint(5, 8))
    background = rng.sample(CONFLICT_BACKGROUND, rng.randint(2, 4))
    extra = rng.sample(OTHER_TOPICS["politics"] + OTHER_TOPICS["farming"], rng.randint(2, 3))
    sentences = [f.fill(t, published) for t in [lead, *body, *background, *extra]]
    return _record(n, "conflict", country, sentences[0].split(",")[0][:80], sentences, published, rng, f)


def mixed_corpus(n: int = 1000, conflict_share: float = 0.2, seed: int = 7) -> list[dict]:
    """n articles, conflict_share of them conflict reports, in a shuffled (seeded) order."""
    rng = random.Random(seed)
    n_conflict = round(n * conflict_share)
    kinds = ["conflict"] * n_conflict + ["other"] * (n - n_conflict)
    rng.shuffle(kinds)
    return [conflict_article(i, rng) if k == "conflict" else other_article(i, rng)
            for i, k in enumerate(kinds)]


def conflict_corpus(n: int = 1000, seed: int = 11) -> list[dict]:
    """n conflict reports."""
    rng = random.Random(seed)
    return [conflict_article(i, rng) for i in range(n)]


def corpus(name: str, n: int = 1000) -> list[dict]:
    """The named corpus: 'mixed' or 'conflict'."""
    if name == "mixed":
        return mixed_corpus(n)
    if name == "conflict":
        return conflict_corpus(n)
    raise ValueError(f"unknown corpus {name!r} (mixed, conflict)")


def iter_jsonl(records: list[dict]) -> Iterator[str]:
    for rec in records:
        yield json.dumps(rec, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", choices=["mixed", "conflict"])
    ap.add_argument("-n", type=int, default=1000, help="number of articles (default 1000)")
    args = ap.parse_args(argv)
    sys.stdout.writelines(iter_jsonl(corpus(args.name, args.n)))


if __name__ == "__main__":
    main()
