"""The custom NLU component runs in the Rasa environment (Python 3.10), so it is exercised there."""
import json
import subprocess

from bot.settings import PROJECT_ROOT

RASA_PYTHON = PROJECT_ROOT / ".venv-rasa" / "bin" / "python"

SCRIPT = """
import json, sys
import numpy as np, scipy.sparse
from rasa.shared.nlu.constants import TEXT, INTENT, FEATURE_TYPE_SEQUENCE, FEATURE_TYPE_SENTENCE
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from nlu_components.sentence_features_only import SentenceFeaturesOnly

def featurized(text, tokens):
    message = Message(data={TEXT: text, INTENT: "greet"} if text else {INTENT: "greet"})
    if text:
        message.add_features(Features(scipy.sparse.coo_matrix(np.ones((tokens, 7))), FEATURE_TYPE_SEQUENCE, TEXT, "cv"))
        message.add_features(Features(scipy.sparse.coo_matrix(np.ones((1, 7))), FEATURE_TYPE_SENTENCE, TEXT, "cv"))
    message.add_features(Features(scipy.sparse.coo_matrix(np.ones((1, 3))), FEATURE_TYPE_SEQUENCE, INTENT, "cv"))
    return message

component = SentenceFeaturesOnly(SentenceFeaturesOnly.get_default_config())
trained = component.process_training_data(TrainingData([featurized("a b c", 3), featurized("x " * 400, 400)]))
parsed = component.process([featurized("hallo", 1), featurized(None, 0)])
def shape(message):
    return sorted((f.attribute, f.type, list(f.features.shape), int(f.features.nnz)) for f in message.features)
print(json.dumps([shape(m) for m in trained.training_examples + parsed]))
"""


def run_in_rasa_env() -> list:
    done = subprocess.run([str(RASA_PYTHON), "-c", SCRIPT], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_token_features_of_the_text_collapse_to_one_empty_position():
    short, long, parsed, no_text = run_in_rasa_env()
    placeholder = ["text", "sequence", [1, 1], 0]
    for features in (short, long, parsed):
        # the sentence vector the classifier reads is untouched; per-token rows are gone, whatever the length
        assert ["text", "sentence", [1, 7], 7] in features
        assert placeholder in features
        assert [f for f in features if f[:2] == ["text", "sequence"]] == [placeholder]
        # other attributes (the intent label) keep their features
        assert ["intent", "sequence", [1, 3], 3] in features
    # a message without text (e.g. a button payload's label data) gets no placeholder
    assert no_text == [["intent", "sequence", [1, 3], 3]]
