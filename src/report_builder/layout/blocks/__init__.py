"""One module per block type; each turns a block into display-list items."""
