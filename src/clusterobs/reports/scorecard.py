def build_scorecard(*a, **k): raise NotImplementedError
