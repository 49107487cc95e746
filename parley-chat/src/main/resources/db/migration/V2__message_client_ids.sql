-- The idempotency key of chat:send: a client that retries a send (its ack lost in a disconnect)
-- gets the message it already created instead of a duplicate. NULLs stay distinct (H2, PostgreSQL).
ALTER TABLE messages ADD COLUMN client_msg_id VARCHAR(64);
CREATE UNIQUE INDEX messages_by_client_id ON messages (sender_id, client_msg_id);
