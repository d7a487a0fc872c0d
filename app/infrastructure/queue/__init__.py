"""The job queue of REST delivery: procrastinate on the same PostgreSQL as the bot's tables."""
