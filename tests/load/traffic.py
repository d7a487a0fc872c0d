"""Students writing to the bot: a seeded plan of signed webhooks and an asyncio sender.

The plan: `users` students share `messages` distinct messages (1 to 6 each); some students
send a burst (2-4 messages within a second), the others leave 1.2-2.5 s between messages; on
top, `duplicate_share` of all posts re-deliver a MessageSid already posted (Twilio's retries),
some at the same moment as the first delivery, some seconds later. At most `in_flight`
requests are open at once. A post that does not get a 200 is retried as Twilio would (with
backoff, bounded): a 5xx means "not recorded, send again".
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.parse
from dataclasses import dataclass, field

import aiohttp
from twilio.request_validator import RequestValidator

from tests.load.progress import TrafficCounts
from tests.twilio_fake import AUTH_TOKEN, SENDER

TEXTS = (
    "hola", "buenas tardes", "quiero info", "del curso de python", "cuánto cuesta?",
    "tienen algo de inteligencia artificial para marketing?", "me llamo Laura y soy diseñadora",
    "soy principiante", "cuántas sesiones son?", "es online?", "quiero inscribirme", "gracias!",
    "y de excel?", "algo más barato?", "sí", "no gracias", "qué cursos tienen?", "el segundo",
)  # fmt: skip


@dataclass(frozen=True)
class Post:
    at: float  # seconds after the start
    sid: str
    sender: str
    body: str
    duplicate: bool = False


@dataclass
class Plan:
    posts: list[Post]
    users: list[str]

    @property
    def distinct(self) -> dict[str, Post]:
        return {p.sid: p for p in self.posts if not p.duplicate}

    @property
    def span(self) -> float:
        return max(p.at for p in self.posts)


def make_plan(users: int = 200, messages: int = 800, duplicate_share: float = 0.2, burst_share: float = 0.3,
              spread_seconds: float = 6.0, seed: int = 9) -> Plan:  # fmt: skip
    rng = random.Random(seed)
    senders = [f"whatsapp:+5731{n:08d}" for n in range(users)]
    counts = _share(messages, users, rng)
    posts: list[Post] = []
    for number, (sender, count) in enumerate(zip(senders, counts, strict=True)):
        at = rng.uniform(0, spread_seconds)
        burst_at = rng.randrange(count) if count >= 2 and rng.random() < burst_share else -1
        burst_left = 0
        for index in range(count):
            if index == burst_at:
                burst_left = rng.randint(2, 4) - 1
            elif burst_left > 0:
                burst_left -= 1
                at += rng.uniform(0.15, 0.3)  # within a second: one burst
            elif index:
                at += rng.uniform(1.2, 2.5)
            posts.append(Post(round(at, 3), f"SM{number:04d}{index:02d}{rng.getrandbits(64):016x}", sender,
                              rng.choice(TEXTS)))  # fmt: skip
    duplicates = round(len(posts) * duplicate_share / (1 - duplicate_share))
    for original in rng.sample(posts, min(duplicates, len(posts))):
        later = rng.choice((0.0, 0.02, rng.uniform(0.5, 4.0)))  # at once (concurrent) or a retry later
        posts.append(Post(round(original.at + later, 3), original.sid, original.sender, original.body, True))
    posts.sort(key=lambda p: (p.at, p.duplicate))
    return Plan(posts, senders)


def _share(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` counts between 1 and 6, varied but summing exactly."""
    counts = [total // parts + (1 if i < total % parts else 0) for i in range(parts)]
    for _ in range(total):
        giver, taker = rng.randrange(parts), rng.randrange(parts)
        if counts[giver] > 1 and counts[taker] < 6:
            counts[giver] -= 1
            counts[taker] += 1
    return counts


def form(post: Post) -> dict[str, str]:
    """The fields Twilio posts for an inbound WhatsApp message."""
    return {
        "SmsMessageSid": post.sid, "NumMedia": "0", "ProfileName": "Estudiante", "MessageType": "text",
        "SmsSid": post.sid, "WaId": post.sender.removeprefix("whatsapp:+"), "SmsStatus": "received",
        "Body": post.body, "To": SENDER, "NumSegments": "1", "ReferralNumMedia": "0", "MessageSid": post.sid,
        "AccountSid": "AC" + "0" * 32, "From": post.sender, "ApiVersion": "2010-04-01",
    }  # fmt: skip


def signed_body(url: str, post: Post, token: str = AUTH_TOKEN) -> tuple[bytes, str]:
    params = form(post)
    return urllib.parse.urlencode(params).encode(), RequestValidator(token).compute_signature(url, params)


@dataclass
class Delivery:
    """What happened to one post: its answers, in order, and when the last one came."""

    post: Post
    statuses: list[int] = field(default_factory=list)  # 0: no answer (connection error, timeout)
    seconds: float = 0.0  # from the first try to the final answer

    @property
    def acknowledged(self) -> bool:
        return bool(self.statuses) and self.statuses[-1] == 200


@dataclass
class TrafficResult:
    deliveries: list[Delivery]
    seconds: float

    @property
    def acknowledged_sids(self) -> set[str]:
        return {d.post.sid for d in self.deliveries if d.acknowledged}

    @property
    def never_acknowledged(self) -> set[str]:
        return {d.post.sid for d in self.deliveries} - self.acknowledged_sids

    @property
    def acknowledgement_p99(self) -> float:
        """Seconds from a post's first try until its final answer, 99th percentile."""
        seconds = sorted(d.seconds for d in self.deliveries)
        return seconds[min(len(seconds) - 1, int(len(seconds) * 0.99))] if seconds else 0.0

    @property
    def retries(self) -> int:
        return sum(len(d.statuses) - 1 for d in self.deliveries)


async def send(plan: Plan, base_url: str, public_url: str, *, in_flight: int = 50, retry_for: float = 60.0,
               request_seconds: float = 15.0, counts: TrafficCounts | None = None) -> TrafficResult:  # fmt: skip
    """Post the plan to `base_url`, signed for `public_url` (the URL the app validates); `counts`
    follows the posts as they go."""
    counts = counts or TrafficCounts(planned=len(plan.posts))
    limit = asyncio.Semaphore(in_flight)
    webhook = public_url + "/webhook/whatsapp"
    started = time.monotonic()
    connector = aiohttp.TCPConnector(limit=in_flight)
    session_timeout = aiohttp.ClientTimeout(total=request_seconds)
    async with aiohttp.ClientSession(connector=connector, timeout=session_timeout) as session:

        async def deliver(post: Post) -> Delivery:
            await asyncio.sleep(max(0.0, started + post.at - time.monotonic()))
            data, signature = signed_body(webhook, post)
            headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
            delivery, first = Delivery(post), time.monotonic()
            while True:
                async with limit:
                    status = await _post_once(session, base_url + "/webhook/whatsapp", data, headers)
                delivery.statuses.append(status)
                delivery.seconds = time.monotonic() - first
                if len(delivery.statuses) == 1:
                    counts.sent += 1
                if status == 200:
                    counts.acknowledged += 1
                if status == 200 or delivery.seconds > retry_for or 400 <= status < 500:
                    return delivery  # a 4xx is the app refusing the request: retrying cannot help
                await asyncio.sleep(min(0.25 * 2 ** (len(delivery.statuses) - 1), 2.0))

        deliveries = await asyncio.gather(*(deliver(p) for p in plan.posts))
    return TrafficResult(list(deliveries), time.monotonic() - started)


async def _post_once(session: aiohttp.ClientSession, url: str, data: bytes, headers: dict[str, str]) -> int:
    try:
        async with session.post(url, data=data, headers=headers) as response:
            await response.read()
            return response.status
    except (aiohttp.ClientError, TimeoutError):
        return 0

