"""A minor's requests to open or reset a paper account, waiting for a guardian's consent."""
