"""The centre's console. Today: people and their roles; later queues, fairs and reports."""
