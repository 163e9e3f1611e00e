"""One declaration of a record's shape: model, schema and serialiser say the same fields."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator import records
from generator.load import agency_from_dict, campaign_from_dict, load_corpus, plan_from_dict
from generator.model import Agency, Campaign, Node, Plan, Source
from generator.schema_check import bundled_schema

ROOT = Path(__file__).resolve().parents[2]
# Fields the model holds that no file stores: where a thing was read from,
# and the model's name for the plan's tree.
NOT_STORED = {"location"}


def fields(model: type) -> set[str]:
    return {field.name for field in dataclasses.fields(model)} - NOT_STORED


def schema_fields(kind: str, *path: str) -> set[str]:
    schema = bundled_schema(kind)
    for step in path:
        schema = schema[step]
    return set(schema["properties"])


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT / "data")


def test_the_plan_schema_and_the_model_have_the_same_fields():
    assert schema_fields("plan") == fields(Plan)
    assert schema_fields("plan", "properties", "source") == fields(Source)


def test_the_node_schema_and_the_model_have_the_same_fields():
    assert schema_fields("plan", "$defs", "node") == fields(Node)


def test_the_registry_schemas_and_the_model_have_the_same_fields():
    assert schema_fields("agencies", "items") == fields(Agency)
    assert schema_fields("campaigns", "items") == fields(Campaign)


def test_every_serialiser_writes_only_schema_fields(corpus):
    for plan in corpus.plans:
        record = records.plan_record(plan)
        assert set(record) <= schema_fields("plan"), plan.id
        for node in plan.walk():
            assert set(records.node_record(node)) <= schema_fields("plan", "$defs", "node")
    assert {key for agency in corpus.agencies for key in records.agency_record(agency)} == schema_fields("agencies", "items")
    assert {key for campaign in corpus.campaigns for key in records.campaign_record(campaign)} == schema_fields("campaigns", "items")


def test_a_serialised_record_loads_back_to_the_same_object(corpus):
    def without_locations(value):
        return dataclasses.replace(value, location=None)

    for plan in corpus.plans:
        again = plan_from_dict(records.plan_record(plan))
        assert again.furniture == plan.furniture
        assert again.nodes == tuple(_strip(node) for node in plan.nodes)
        assert dataclasses.replace(again, nodes=()) == dataclasses.replace(without_locations(plan), nodes=())
    for agency in corpus.agencies:
        assert agency_from_dict(records.agency_record(agency)) == without_locations(agency)
    for campaign in corpus.campaigns:
        assert campaign_from_dict(records.campaign_record(campaign)) == without_locations(campaign)


def test_the_model_keeps_the_furniture_ingest_found(corpus):
    furniture = corpus.plan("guobanfa-2016-18").furniture
    assert furniture and furniture[0].rule == "gov-cn-breadcrumb" and furniture[0].line == 2


def _strip(node: Node) -> Node:
    return dataclasses.replace(node, location=None, children=tuple(_strip(child) for child in node.children))
