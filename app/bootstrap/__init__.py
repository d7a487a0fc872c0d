"""The composition root: reads settings, picks adapters, builds the use cases.

Nothing else in the project decides which adapter serves a port or which mode the bot runs in,
so the answer to "why is it in basic mode?" is always here and in the log. One module per job,
each imported on its own (this package imports none of them):

    mode          settings -> mode: JSON files or PostgreSQL, the container for either
    container     the conversation engine: use cases, AI, knowledge, warm-up, its own health
    database      opens the PostgreSQL storage (only database mode imports it)
    health        the /health models, and the figures of a REST-mode web process
    web           what a web process runs: the engine inline, or the intake (and maybe a worker)
    worker        the queue worker's runtime, its intake, pruning
    delivery      Twilio's REST sender and where lead events go
    whatsapp      voice notes for the worker (transcription when the AI is configured)
    reports       the marketers' lead report and the advisors' hand-off desk
    campaigns     follow-up campaigns
    course_names  course names for reports and campaigns
    clock         the one clock every use case is given
"""
