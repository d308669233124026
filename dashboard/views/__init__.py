"""The dashboard's pages, one thin script each, and the blocks they share (``blocks``)."""
