-- Follow-up campaigns (`python -m app campaign`): approved WhatsApp templates sent to a list.
--
-- campaign_sends: one row per contact and campaign, so a contact gets a campaign at most once
-- however often the command runs. A row is `pending` once planned, `sending` during the
-- request (recorded *before* it, with `sending_at`: a row found `sending` by a later run may
-- or may not have reached Twilio, so it is looked up in Twilio's Messages list first), then
-- `sent` with Twilio's SID, or `failed` with Twilio's code (or the reason it was not sent,
-- e.g. the contact opted out between planning and sending). `variables` are the template's
-- values as rendered when the row was planned: a resumed run sends exactly those.
-- Delivery statuses come from message_statuses (status callbacks), joined on provider_sid.

CREATE TABLE IF NOT EXISTS campaign_sends (
    campaign      VARCHAR(80) NOT NULL,
    user_id       VARCHAR(255) NOT NULL,
    content_sid   VARCHAR(34) NOT NULL,
    variables     JSONB NOT NULL DEFAULT '{}'::jsonb,
    state         VARCHAR(10) NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    provider_sid  TEXT UNIQUE,
    error_code    INTEGER,
    error         TEXT,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    sending_at    TIMESTAMPTZ,
    sent_at       TIMESTAMPTZ,
    PRIMARY KEY (campaign, user_id)
);
-- A run reads its campaign's unsent rows page by page.
CREATE INDEX IF NOT EXISTS idx_campaign_sends_unsent
    ON campaign_sends (campaign, user_id) WHERE state IN ('pending', 'sending');
-- Data-protection requests and "has this person had campaigns" look rows up by contact.
CREATE INDEX IF NOT EXISTS idx_campaign_sends_user ON campaign_sends (user_id);
