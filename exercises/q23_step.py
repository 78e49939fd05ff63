"""Question 23: the function that computes new weights (fastbook ch. 4, question 23).

After `loss.backward()` every parameter `p` has its gradient in `p.grad`. The gradient
points in the direction that makes the loss grow, so training moves each parameter a
little the other way, and the learning rate `lr` sets how far.

1. Write `step(params, lr)`: change the tensor `params` so that it holds
   params - lr * params.grad. Change it *in place*, in the very tensor object you are
   given: the model keeps using that object, so a new tensor with the new values would
   never be seen by it. PyTorch refuses in-place changes to a tensor that tracks its
   gradient unless you make them inside `with torch.no_grad():`. After the step the
   tensor must still track its gradient. Return nothing, and leave `params.grad` alone.

       >>> w = torch.tensor([1.0, 2.0], requires_grad=True)
       >>> w.grad = torch.tensor([10.0, -10.0])
       >>> step(w, 0.1)
       >>> w
       tensor([0., 3.], requires_grad=True)

2. A single weight holds 3.0, its gradient is -4.0 and the learning rate is 0.5. Set
   NEW_WEIGHT to the value it holds after one step.

3. In the chapter's training loop, which function computes the new weights from the
   learning rate? Set UPDATER to the letter of the best answer:

   a) `loss.backward()`: it works out each gradient and moves each weight along it.
   b) The optimiser's `step()`: for each parameter p it does p -= lr * p.grad.
   c) `zero_grad()`: it resets the weights before the next mini-batch.
   d) `init_params()`: it draws fresh random weights each epoch, scaled by the learning
      rate.
"""
import torch


def step(params: torch.Tensor, lr: float) -> None:
    raise NotImplementedError("move params against params.grad by lr, in place, under torch.no_grad()")


NEW_WEIGHT = None  # a number: the weight after one step in part 2

UPDATER = None  # the letter of the best answer to part 3, e.g. "a"


# Not graded: explain, in your own words, which function computes the new weights from the learning rate, and how.
EXPLAIN = """
"""
