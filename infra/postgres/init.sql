-- Runs once, when the PostgreSQL container initialises an empty data directory
-- (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
-- One database for the platform; each service creates and migrates its own schema in it
-- (governance, employment, social_orgs, matching) when it boots, under an advisory lock.
CREATE DATABASE anju;
