"""The server shell: settings, database, cache and pub/sub, services, routers, WebSockets, metrics."""
