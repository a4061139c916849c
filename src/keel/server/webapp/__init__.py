"""The web app (the React SPA built into `web/dist`), served by the API process itself."""
