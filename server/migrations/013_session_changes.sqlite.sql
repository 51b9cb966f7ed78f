-- A counter that every change able to end a live session moves (issue 9): a session revoked,
-- expired early, moved to another user or deleted while live; a user's role or disabled flag
-- changed, or the user deleted. The triggers run in whatever process makes the change (this
-- server, another instance, the sqlite3 shell), in the change's own transaction. The sessions
-- the server remembers as live (auth/authenticator.hpp) are read again only when this number
-- has moved since they were read: an unchanged number says none of them changed.
-- New sessions (INSERT), profile edits and the deletion of sessions already ended do not move it.
CREATE TABLE session_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO session_changes (id, n) VALUES (1, 0);

CREATE TRIGGER session_changes_on_session_update
AFTER UPDATE OF revoked_at, expires_at, user_id, jti ON sessions
BEGIN
    UPDATE session_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER session_changes_on_session_delete
AFTER DELETE ON sessions
WHEN OLD.revoked_at IS NULL AND OLD.expires_at > CAST(strftime('%s', 'now') AS INTEGER)
BEGIN
    UPDATE session_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER session_changes_on_user_update
AFTER UPDATE OF role, disabled, id ON users
BEGIN
    UPDATE session_changes SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER session_changes_on_user_delete
AFTER DELETE ON users
BEGIN
    UPDATE session_changes SET n = n + 1 WHERE id = 1;
END;
