// glossary: issue 5, being built
