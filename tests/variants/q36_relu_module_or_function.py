from . import Variant

MUTANTS = [
    Variant("returns the function F.relu as the layer", old="    return nn.ReLU()\n", new="    return F.relu\n"),
    Variant("returns the class nn.ReLU, not an instance", old="    return nn.ReLU()\n", new="    return nn.ReLU\n"),
    Variant("builds a module to apply relu", old="return F.relu(x)", new="return nn.ReLU()(x)"),
    Variant("clamps instead of calling the functional form", old="return F.relu(x)", new="return x.clamp(min=0)"),
    Variant("an nn.ReLU module made in a helper", old="return F.relu(x)", new="return _layer()(x)\n\n\ndef _layer():\n    return nn.ReLU()"),
]

ALTERNATIVES = [
    Variant("an in-place ReLU layer", old="    return nn.ReLU()\n", new="    return nn.ReLU(inplace=True)\n"),
    Variant("torch.relu", old="return F.relu(x)", new="return torch.relu(x)"),
    Variant("the tensor method", old="return F.relu(x)", new="return x.relu()"),
    Variant("the full module path", old="return F.relu(x)", new="return torch.nn.functional.relu(x)"),
    Variant("relu imported by name", old="    return F.relu(x)\n", new="    from torch.nn.functional import relu\n    return relu(x)\n"),
]
