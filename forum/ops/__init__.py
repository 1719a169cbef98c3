"""Operations: backing up and restoring the whole database."""
