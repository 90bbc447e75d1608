"""Staff: the list of fairs, creating, editing and cloning one, moving it through its states, and
its hub page linking the jury, booths, fair day and report."""
