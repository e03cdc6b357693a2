"""dedup stage: merge events from different reports that are the same event (pure functions over rows).

- ``rules.same_event(a, b)`` / ``rules.match_event(report, members)``: the
  decision with its reason (same kind of event, same day or +-1 day when a
  report is vague, same or nearby place, compatible actors);
- ``merge.merge_reports(reports)``: one ACLED row for an event's reports
  (every source, every piece of evidence, conservative fatalities);
- ``cluster.dedup_rows(rows)`` / ``cluster.dedup_events(events)``: the whole
  stage over a list; ``cluster.match_recoded(old, new)`` keeps ids stable
  when a report is re-coded.
"""
from eventcoder.dedup.cluster import Cluster, dedup_events, dedup_rows, match_recoded
from eventcoder.dedup.merge import Merged, fatalities_of, merge_reports
from eventcoder.dedup.rules import (MAX_KM, Decision, date_is_vague, distance_km, family, is_generic_actor,
                                    match_event, named_actors, same_event)

__all__ = ["MAX_KM", "Cluster", "Decision", "Merged", "date_is_vague", "dedup_events", "dedup_rows",
           "distance_km", "family", "fatalities_of", "is_generic_actor", "match_event", "match_recoded",
           "merge_reports", "named_actors", "same_event"]
