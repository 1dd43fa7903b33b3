"""The keys of the guide pages the site itself links to or treats apart.

Defined once, here, in a module that imports nothing, so that models, links, views,
search and the explainer can all name them without importing one another.
"""

HOME = "introduction"  # the guide's front page, served at /en/ and /fr/
ABOUT = "about"  # how this information is created: linked from every page
PRIVACY = "privacy"  # what the site keeps: linked from every page too
RESPONSE = "response-to-treatment"  # holds the response categories and the explainer
GLOSSARY = "glossary"  # holds the glossary terms
QUESTIONS = "questions-to-ask"  # the printable checklist of questions

# The page template of each page that is more than a body and its questions.
TEMPLATES = {
    RESPONSE: "neuroinfo/response.html",
    QUESTIONS: "neuroinfo/questions.html",
    GLOSSARY: "neuroinfo/glossary.html",
    PRIVACY: "neuroinfo/privacy.html",
}
