"""Question 12: What SGD is (fastbook ch. 4, question 12).

SGD improves the weights little by little: it looks at the gradient of the loss (which
way the loss goes up) and moves every weight a small amount the other way. The learning
rate `lr` sets how big that move is.

1. Write `sgd_step(params, grads, lr)`: given a tensor of parameters, the gradient of the
   loss with respect to them (same shape) and a learning rate, return the parameters
   after one SGD step, as a tensor of the same shape. One line of tensor arithmetic does it
   (how you write it is up to you: it is not graded).

       >>> sgd_step(torch.tensor([1.0, -2.0]), torch.tensor([0.5, -1.0]), lr=0.1)
       tensor([ 0.9500, -1.9000])

2. `STOCHASTIC`: what is random ("stochastic") in stochastic gradient descent?

   a) The learning rate: a fresh one is drawn at random for every single step.
   b) Nothing: "stochastic" means each step looks at the whole training set.
   c) Each step's gradient comes from a random mini-batch: a noisy estimate.
   d) Random noise is added to the weights after each step, to explore more.

Graded: your step on random parameters, gradients and learning rates, against the chapter's
optimiser; twenty of your steps on a small loss; and the letter.
"""
import torch


def sgd_step(params: torch.Tensor, grads: torch.Tensor, lr: float) -> torch.Tensor:
    raise NotImplementedError("return the parameters after one step against the gradient")


STOCHASTIC = None  # one letter: "a", "b", "c" or "d"


# Not graded: explain, in your own words, what SGD is.
EXPLAIN = """
"""
