from portal.slack.text import slack_escape, slack_link, slack_to_plain


def test_escape_makes_mentions_and_links_inert():
    assert slack_escape("<!channel> & <@U123|boss>") == "&lt;!channel&gt; &amp; &lt;@U123|boss&gt;"


def test_link_label_cannot_break_out():
    assert slack_link("https://x.test/1", "a|<b>") == "<https://x.test/1|a¦&lt;b&gt;>"


def test_plain_shows_what_a_reader_sees():
    text = "Hi <@U0123ABCD>, see <https://x.test|the story> &amp; <!here> &lt;3"
    assert slack_to_plain(text) == "Hi @U0123ABCD, see the story (https://x.test) & @here <3"


def test_plain_round_trips_escaped_user_text():
    raw = "<!channel> please & thanks <script>"
    assert slack_to_plain(slack_escape(raw)) == raw
