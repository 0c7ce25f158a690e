"""Keep only sentence-level features of the user's text for the intent classifier.

DIETClassifier with `number_of_transformer_layers: 0` classifies from the sentence vector alone: the
per-token (sequence) features are pushed through the network but never reach the intent. They still cost
time in proportion to the longest message in each batch, which made training grow with every long,
realistic example. Dropping them keeps the model's inputs for intents unchanged and trains several times
faster. DIET insists on some sequence-level input, so each message gets one empty placeholder position
instead of one row per token. Place this component after the featurizers and before DIETClassifier; only use it with an
intent-only DIET (no entity recognition, no transformer layers, no masked language model).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

import scipy.sparse

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceFeaturesOnly(GraphComponent):
    @classmethod
    def required_components(cls) -> List[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"attributes": [TEXT]}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._attributes = set(config["attributes"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceFeaturesOnly":
        return cls(config)

    def _strip(self, message: Message) -> None:
        kept = [f for f in message.features
                if not (f.type == FEATURE_TYPE_SEQUENCE and f.attribute in self._attributes)]
        for attribute in self._attributes:
            if message.get(attribute) is not None:
                kept.append(Features(scipy.sparse.coo_matrix((1, 1)), FEATURE_TYPE_SEQUENCE, attribute,
                                     type(self).__name__))
        message.features = kept

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._strip(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._strip(message)
        return messages
