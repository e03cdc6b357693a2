"""The statistical event typer: training, model files, `train`/`classify --model`, the hybrid with the rules."""
from __future__ import annotations

import csv
import hashlib
import json

import numpy as np
import pytest

from eventcoder.cli import cli
from eventcoder.errors import DataFileError, InputError
from eventcoder.extract.classify import classify_text
from eventcoder.extract.labels import read_labelled
from eventcoder.extract.model import (TypeModel, heldout_bucket, hybrid_type, is_heldout, load_type_model,
                                      rules_can_matter, train_type_model)
from eventcoder.resolve.actors import load_actors

from conftest import ROOT

PLACES = ["Gao", "Kidal", "Mopti", "Baidoa", "Kismayo", "Idlib", "Marib", "Kherson"]
TINY = (
    [(f"Warplanes bombed positions near {p} on Monday, killing fighters.", "Air/drone strike") for p in PLACES]
    + [(f"Hundreds of teachers marched peacefully in {p} demanding unpaid wages.", "Peaceful protest")
       for p in PLACES]
    + [(f"The central bank in {p} kept interest rates unchanged this quarter.", None) for p in PLACES]
)


@pytest.fixture(scope="module")
def tiny_model() -> TypeModel:
    return train_type_model([t for t, _ in TINY], [l for _, l in TINY], features="ngrams")


def test_tiny_model_predicts_its_classes(tiny_model):
    assert set(tiny_model.classes) == {None, "Air/drone strike", "Peaceful protest"}
    pred = tiny_model.predict(["Warplanes bombed a convoy near Tessalit, killing fighters.",
                               "Nurses marched peacefully in Bamako demanding unpaid wages.",
                               "The central bank kept interest rates unchanged."])
    assert [p for p, _ in pred] == ["Air/drone strike", "Peaceful protest", None]
    assert all(0.34 < prob <= 1.0 for _, prob in pred)
    proba = tiny_model.predict_proba(["Warplanes bombed a village."])
    assert proba.shape == (1, 3) and abs(float(proba.sum()) - 1.0) < 1e-5


def test_embedding_features_train_offline():
    model = train_type_model([t for t, _ in TINY], [l for _, l in TINY], features="both")
    assert model.predict(["Hundreds of nurses marched peacefully demanding unpaid wages."])[0][0] == "Peaceful protest"


def test_training_is_deterministic(tmp_path):
    texts, labels = [t for t, _ in TINY], [l for _, l in TINY]
    a = train_type_model(texts, labels, features="both")
    b = train_type_model(texts, labels, features="both")
    assert np.array_equal(a.W, b.W) and np.array_equal(a.b, b.b)
    la, lb = TypeModel.load(a.save(tmp_path / "a.npz")), TypeModel.load(b.save(tmp_path / "b.npz"))
    assert np.array_equal(la.W, lb.W) and np.array_equal(la.vocab.buckets, lb.vocab.buckets)


def test_dense_prediction_equals_the_training_design_matrix():
    # Prediction scores sentence by sentence without scipy; it must give what training's sparse matrix gives.
    model = load_type_model()
    texts = ["Gunmen killed four villagers near Gao on Monday.", "Thousands marched in Dhaka.",
             "The central bank kept rates unchanged.", "!!!", "kill kill kill killed killing"]
    dense, sparse = model._scores(texts), model._scores_sparse(texts)
    assert dense.shape == (len(texts), len(model.classes))
    assert np.allclose(dense, sparse, atol=1e-4)


def test_model_file_round_trip(tmp_path, tiny_model):
    path = tiny_model.save(tmp_path / "m.npz")
    loaded = TypeModel.load(path)
    texts = ["Warplanes bombed a base.", "Teachers marched.", "Rates were unchanged."]
    assert loaded.classes == tiny_model.classes
    assert np.allclose(loaded.predict_proba(texts), tiny_model.predict_proba(texts), atol=1e-6)
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(DataFileError):
        TypeModel.load(bad)


def test_heldout_split_is_stable_and_about_a_fifth():
    text = "Gunmen  killed two farmers near Kirkuk."
    expected = int(hashlib.sha1(b"gunmen killed two farmers near kirkuk.").hexdigest()[:8], 16) % 100
    assert heldout_bucket(text) == expected
    data = read_labelled(sorted((ROOT / "training").glob("*.jsonl")), none_labels=("",))
    share = sum(is_heldout(t) for t in data.texts) / len(data.texts)
    assert 0.14 < share < 0.26


def _acled_csv(path, rows):
    cols = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "country", "notes"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        for i, (text, label) in enumerate(rows):
            w.writerow({"event_id_cnty": f"MLI{i}", "event_date": "2026-01-01", "event_type": "",
                        "sub_event_type": label or "", "actor1": "", "country": "Mali", "notes": text})


def test_train_cli_on_acled_style_csv(tmp_path, runner):
    src = tmp_path / "acled.csv"
    _acled_csv(src, TINY)
    out = tmp_path / "model.npz"
    r = runner.invoke(cli, ["train", "--labels", str(src), "--output", str(out), "--holdout", "0",
                            "--features", "ngrams"])
    assert r.exit_code == 0, r.output
    assert "skipped 8 with a blank label" in r.stderr
    assert set(TypeModel.load(out).classes) == {"Air/drone strike", "Peaceful protest"}
    # With --none-label '' the blank rows are non-events.
    r = runner.invoke(cli, ["train", "--labels", str(src), "--output", str(out), "--holdout", "0",
                            "--features", "ngrams", "--none-label", "", "--text-column", "notes",
                            "--label-column", "sub_event_type"])
    assert r.exit_code == 0, r.output
    assert None in TypeModel.load(out).classes


def test_train_cli_rejects_unknown_labels(tmp_path, runner):
    src = tmp_path / "odd.jsonl"
    src.write_text("\n".join(json.dumps({"text": t, "label": "Burglary" if lab is None else lab})
                             for t, lab in TINY) + "\n")
    r = runner.invoke(cli, ["train", "--labels", str(src), "--label-column", "label", "-o", str(tmp_path / "m.npz")])
    assert r.exit_code == 2 and "Burglary" in r.stderr and "Traceback" not in r.output
    r = runner.invoke(cli, ["train", "--labels", str(src), "--label-column", "label", "--none-label", "Burglary",
                            "--holdout", "0", "--features", "ngrams", "-o", str(tmp_path / "m.npz")])
    assert r.exit_code == 0, r.output
    with pytest.raises(InputError):
        read_labelled([src])  # default label column missing


def test_classify_uses_model_option(tmp_path, runner):
    # A deliberately odd model: football results labelled as protests. Only a
    # command that really loads --model can answer "Peaceful protest".
    odd = [(f"The football team from {p} won the cup final on Sunday.", "Peaceful protest") for p in PLACES]
    odd += [(f"The central bank in {p} kept interest rates unchanged this quarter.", None) for p in PLACES]
    path = train_type_model([t for t, _ in odd], [l for _, l in odd], features="ngrams").save(tmp_path / "odd.npz")
    stdin = json.dumps({"id": 1, "text": "The football team won the cup final on Sunday."}) + "\n"
    default = json.loads(runner.invoke(cli, ["classify"], input=stdin).stdout)
    custom = json.loads(runner.invoke(cli, ["classify", "--model", str(path)], input=stdin).stdout)
    assert default["sub_event_type"] is None
    assert custom["sub_event_type"] == "Peaceful protest" and custom["event_type"] == "Protests"


def test_hybrid_decisive_rules_override_model(tiny_model):
    classes = tiny_model.classes
    proba = np.zeros(len(classes), dtype=np.float32)
    proba[classes.index("Peaceful protest")] = 0.7
    proba[classes.index("Air/drone strike")] = 0.3
    text = "irrelevant"
    # A decisive rule (weight >= 3) keeps its say over the model's first choice ...
    assert hybrid_type(text, "Air/drone strike", 3, tiny_model, proba=proba)[0] == "Air/drone strike"
    # ... a weak one does not ...
    assert hybrid_type(text, "Air/drone strike", 2, tiny_model, proba=proba) == ("Peaceful protest", 0.7)
    # ... nor a decisive one the model all but excludes.
    proba2 = np.array([0.05, 0.9, 0.05], dtype=np.float32)
    rule = next(c for c in classes if c is not None and proba2[classes.index(c)] < 0.2)
    assert hybrid_type(text, rule, 3, tiny_model, proba=proba2)[0] == classes[1]
    assert rules_can_matter(proba) and not rules_can_matter(proba2)
    # Without a model the rules decide alone.
    assert hybrid_type(text, "Grenade", 2, None)[0] == "Grenade"


def test_classify_text_hybrid_with_shipped_model():
    actors = load_actors(())
    model = load_type_model()
    t = classify_text("A suicide bomber blew himself up at a checkpoint outside Mogadishu, killing five soldiers.",
                      actors, model=model)
    assert (t.event_type, t.sub_event_type) == ("Explosions/Remote violence", "Suicide bomb")
    t = classify_text("Floods destroyed hundreds of homes after the river burst its banks.", actors, model=model)
    assert t.sub_event_type is None and t.event_type is None
    rules_only = classify_text("Police fired tear gas to disperse protesters outside parliament in Nairobi.",
                               actors, model=False)
    assert rules_only.sub_event_type == "Protest with intervention"
