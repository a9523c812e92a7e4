from studio.components.describe import describe_termination

CONDITIONS = "autogen_agentchat.conditions."


def condition(name: str, label: str | None = None, **config) -> dict:
    component = {"provider": CONDITIONS + name, "config": config}
    if label is not None:
        component["label"] = label
    return component


def combined(kind: str, *conditions: dict) -> dict:
    return {"provider": f"autogen_agentchat.base.{kind}TerminationCondition", "label": f"{kind}TerminationCondition",
            "config": {"conditions": list(conditions)}}


def test_single_conditions_in_a_few_words():
    assert describe_termination(condition("MaxMessageTermination", max_messages=10)) == "10 messages"
    assert describe_termination(condition("TextMentionTermination", text="APPROVE")) == "'APPROVE' mentioned"
    assert describe_termination(condition("HandoffTermination", target="user")) == "handoff to user"
    assert describe_termination(condition("TextMessageTermination", source="critic")) == "a text message from critic"


def test_compositions_read_as_sentences_with_nesting_in_brackets():
    either = combined("Or", condition("TextMentionTermination", text="TERMINATE"), condition("MaxMessageTermination", max_messages=10))
    assert describe_termination(either) == "'TERMINATE' mentioned or 10 messages"
    both = combined("And", either, condition("FunctionCallTermination", function_name="book"))
    assert describe_termination(both) == "('TERMINATE' mentioned or 10 messages) and book called"


def test_a_label_the_user_chose_wins_but_the_class_name_does_not():
    assert describe_termination(condition("MaxMessageTermination", label="Done or 10", max_messages=10)) == "Done or 10"
    default = condition("MaxMessageTermination", label="MaxMessageTermination", max_messages=3)
    assert describe_termination(default) == "3 messages"
