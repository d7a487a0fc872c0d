"""The AI mode gets the same facts as the templates: the course in focus, the facets asked and
the school's answers; its reply may state those and nothing else."""

import asyncio

from app.application.ai_replies import AIAdvisor
from app.application.process_message import ProcessIncomingMessage
from app.application.query_courses import QueryCourseInformation
from app.domain.ai import AIRequest
from app.domain.intents import Intent
from app.domain.messages import InboundMessage
from app.domain.modes import AIState
from app.domain.school_knowledge import SchoolKnowledge
from app.infrastructure.openai.prompt import build_prompt
from app.infrastructure.templates.spanish import SpanishTemplates
from tests.ai.test_ai_advisor import NOW, USER, NoExtractor, ScriptedAI, TableClassifier, analysis
from tests.fakes import FakeCourseRepository, FakeInboundLog, FakeMemoryRepository

INSTALMENTS = "Puedes pagar con tarjeta en hasta 3 cuotas sin intereses en los cursos de más de 150 USD."
KNOWLEDGE = SchoolKnowledge.model_validate(
    {"entries": [{"topic": "instalments", "answer": INSTALMENTS},
                 {"topic": "refunds", "answer": "Te devolvemos el pago dentro de los 7 días posteriores."}]}
)  # fmt: skip


def build(sample_courses, ai: ScriptedAI):
    courses = QueryCourseInformation(FakeCourseRepository(sample_courses))
    use_case = ProcessIncomingMessage(
        courses=courses, memory=FakeMemoryRepository(), inbound_log=FakeInboundLog(), classifier=TableClassifier(),
        extractor=NoExtractor(), templates=SpanishTemplates(), clock=lambda: NOW, mode=lambda: "ai_only",
        ai=AIAdvisor(ai, courses, knowledge=KNOWLEDGE), ai_state=lambda: AIState.ON, knowledge=KNOWLEDGE,
    )  # fmt: skip
    return use_case


def send(use_case, text, sid):
    message = InboundMessage(message_id=sid, user_id=USER, text=text, received_at=NOW)
    return asyncio.run(use_case.execute(message))


def test_the_request_and_the_prompt_carry_the_focus_the_facets_and_the_school_answers(sample_courses):
    ai = ScriptedAI(analysis("*Automatización de reportes de Excel* cuesta $199 USD.", Intent.GENERAL_QUESTION))
    use_case = build(sample_courses, ai)
    send(use_case, "qué cursos tienen?", "SM1")
    send(use_case, "cuánto cuesta el segundo y lo puedo pagar en cuotas?", "SM2")
    request: AIRequest = ai.requests[-1]
    assert request.focus_id == "c-excel"
    assert request.facets == ("price", "instalments")
    assert request.school_facts == (INSTALMENTS,)
    context = build_prompt(request).messages[0]["content"]
    ref = next(line for line in context.splitlines() if "Automatización de reportes de Excel" in line).split(":")[0]
    assert f"Course in focus (the question is about it): {ref}" in context
    assert "The student asks about: price, instalments" in context
    assert f"- {INSTALMENTS}" in context


def test_a_reply_stating_the_school_answer_is_sent(sample_courses):
    reply_text = (
        "*Automatización de reportes de Excel* cuesta $199 USD y, como pasa de 150 USD, lo puedes pagar en hasta 3 "
        "cuotas sin intereses."
    )
    use_case = build(sample_courses, ScriptedAI(analysis(reply_text, Intent.GENERAL_QUESTION)))
    send(use_case, "qué cursos tienen?", "SM1")
    reply = send(use_case, "cuánto cuesta el segundo y lo puedo pagar en cuotas?", "SM2")
    assert reply.ai_used and reply.text == reply_text
    assert reply.course_ids == ("c-excel",)


def test_an_invented_policy_is_rejected_and_the_templates_answer_from_the_file(sample_courses):
    invented = "*Automatización de reportes de Excel* cuesta $199 USD y lo pagas en 12 cuotas sin intereses."
    use_case = build(sample_courses, ScriptedAI(analysis(invented, Intent.GENERAL_QUESTION)))
    send(use_case, "qué cursos tienen?", "SM1")
    reply = send(use_case, "cuánto cuesta el segundo y lo puedo pagar en cuotas?", "SM2")
    assert not reply.ai_used
    assert "12 cuotas" not in reply.text
    assert "$199 USD" in reply.text and INSTALMENTS in reply.text
