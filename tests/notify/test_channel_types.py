"""Each entry of ``channels.yaml`` is validated by its type's settings model, imported when
the file names the type (issue 11): the errors, their locations and the values are those of
a union of every type's model tagged by ``type``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from monitor.errors import ConfigError
from monitor.notify.apprise import AppriseConfig
from monitor.notify.channels import CHANNEL_TYPES, ChannelsFile, load_channels
from monitor.notify.console import ConsoleConfig
from monitor.notify.email import EmailConfig
from monitor.notify.slack import SlackConfig
from monitor.notify.webhook import WebhookConfig

TAGGED = SlackConfig | WebhookConfig | EmailConfig | ConsoleConfig | AppriseConfig


class EveryType(BaseModel):
    """The reference: one union of every type's model, tagged by ``type``."""

    channels: list[Annotated[TAGGED, Field(discriminator="type")]]


def errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(e["type"], e["loc"], e["msg"]) for e in caught.value.errors()]


@pytest.mark.parametrize(
    "channels",
    [
        "not a list",
        ["a string"],
        [None],
        [5],
        [{"name": "x"}],
        [{"name": "x", "type": "slak"}],
        [{"name": "x", "type": 5}],
        [{"name": "x", "type": None}],
        [{"name": "x", "type": ["slack"]}],
        [{"name": "x!", "type": "slack", "url_env": "lower", "colour": "red"}],
        [{"name": "x", "type": "slack"}],
        [{"name": "x", "type": "slack", "token_env": "TOKEN"}],
        [{"name": "x", "type": "email", "host": 5, "recipients": "desk"}],
        [{"name": "x", "type": "console", "digest": "now and then"}],
        [{"name": "x", "type": "console", "batch_window": "5 parsecs", "max_per_minute": 0}],
        [{"name": "x", "type": "console", "updates": "thread"}],
        [{"name": "x", "type": "console", "digest_only": True}],
        [{"name": "x", "type": "webhook"}, {"name": "y", "type": "apprise", "url_env": "A x"}],
        [{"name": "ok", "type": "console"}, {"type": "webhook", "url_env": "HOOK", "name": 3}],
    ],
)
def test_errors_are_those_of_a_union_tagged_by_type(channels: Any) -> None:
    data = {"channels": channels}
    assert errors(ChannelsFile, data) == errors(EveryType, data)


def test_each_type_validates_into_its_own_model() -> None:
    channels = [
        {"name": "slack", "type": "slack", "url_env": "SLACK_URL"},
        {"name": "hook", "type": "webhook", "url_env": "HOOK_URL", "max_per_minute": "7"},
        {"name": "mail", "type": "email", "host": "mx", "sender": "a@b.c", "recipients": ["d"]},
        {"name": "console", "type": "console", "batch_window": "2m"},
        {"name": "apprise", "type": "apprise", "url_env": "APPRISE_URL"},
    ]
    data = {"default": ["console"], "channels": channels}
    assert ChannelsFile.model_validate(data).channels == EveryType.model_validate(data).channels
    assert set(CHANNEL_TYPES) == {c["type"] for c in channels}


def test_only_the_types_named_are_imported() -> None:
    """A file of console and webhook channels imports those two types' modules only."""
    probe = (
        "import json, sys\n"
        "from monitor.notify.channels import ChannelsFile\n"
        "ChannelsFile.model_validate({'default': ['c'], 'channels': ["
        "{'name': 'c', 'type': 'console'}, {'name': 'h', 'type': 'webhook', 'url_env': 'H'}]})\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('monitor.notify.'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(done.stdout))
    assert {"monitor.notify.console", "monitor.notify.webhook"} <= loaded
    others = {"monitor.notify.slack", "monitor.notify.email", "monitor.notify.apprise"}
    assert loaded & others == set()


def test_a_custom_error_keeps_its_type_and_message_under_the_tag() -> None:
    from pydantic import field_validator
    from pydantic_core import PydanticCustomError

    from monitor.notify.channels import _under

    class Odd(BaseModel):
        size: int

        @field_validator("size")
        @classmethod
        def _odd(cls, value: int) -> int:
            raise PydanticCustomError("not_odd", "{size} is not odd {{ever}}", {"size": value})

    with pytest.raises(ValidationError) as caught:
        Odd.model_validate({"size": 4})
    (error,) = caught.value.errors()
    assert error["msg"].startswith("4 is not odd {")
    moved = _under("odd", caught.value).errors()
    assert [(e["type"], e["loc"], e["msg"]) for e in moved] == [
        ("not_odd", ("odd", "size"), error["msg"])
    ]


def test_a_bad_key_is_named_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(
        "channels:\n"
        "  - name: console\n"
        "    type: console\n"
        "  - name: desk\n"
        "    type: slack\n"
        "    url_env: SLACK_URL\n"
        "    batch_window: forever\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as refused:
        load_channels(path)
    (problem,) = refused.value.problems
    assert problem.line == 7 and "batch_window" in problem.message


@pytest.mark.parametrize(
    ("recipient", "accepted"),
    [
        ("desk@example.org", True),
        ("Desk <desk@example.org>", True),
        ("root", True),  # a local relay's own mailbox
        ("desk@example.org, editor@example.org", True),  # two in one item
        ("desk@example.org editor@example.org", False),
        ("", False),
        ("desk@example.org\nBcc: victim@example.org", False),
    ],
)
def test_each_recipient_holds_addresses_or_is_named_at_its_line(
    tmp_path: Path, recipient: str, accepted: bool
) -> None:
    path = tmp_path / "channels.yaml"
    path.write_text(
        "default: [mail]\n"
        "channels:\n"
        "  - name: mail\n"
        "    type: email\n"
        "    host: mx.example.org\n"
        "    sender: monitor@example.org\n"
        "    recipients:\n"
        "      - ok@example.org\n"
        f"      - {json.dumps(recipient)}\n",
        encoding="utf-8",
    )
    if accepted:
        assert load_channels(path).channels[0].recipients[1] == recipient
        return
    with pytest.raises(ConfigError) as refused:
        load_channels(path)
    (problem,) = refused.value.problems
    assert problem.line == 9 and "is not an address" in problem.message, problem
